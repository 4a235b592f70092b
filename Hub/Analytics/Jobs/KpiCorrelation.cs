using MathNet.Numerics.Statistics;

namespace Hub.Analytics.Jobs;

/// <summary>
/// Pearson correlation between series on a common grid (MathNet.Numerics), then agglomerative clustering with average
/// linkage on the distance <c>1 - r</c> (so anti-correlated series are far apart): clusters merge while their average
/// distance is at most <c>1 - threshold</c>.
/// </summary>
internal static class KpiCorrelation
{
    /// <summary>Correlates <paramref name="series"/> (name, values by grid step; NaN where the step had no sample).</summary>
    public static CorrelationResult Compute(IReadOnlyList<(string Name, double[] Values)> series, double threshold)
    {
        var n = series.Count;
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            matrix[i, i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                matrix[i, j] = matrix[j, i] = Pearson(series[i].Values, series[j].Values);
            }
        }

        return new CorrelationResult(series.Select(s => s.Name).ToList(), matrix, Cluster(matrix, series.Select(s => s.Name).ToList(), threshold));
    }

    private static double Pearson(double[] a, double[] b)
    {
        var pairs = Enumerable.Range(0, Math.Min(a.Length, b.Length)).Where(k => !double.IsNaN(a[k]) && !double.IsNaN(b[k])).ToList();
        if (pairs.Count < 3)
        {
            return double.NaN;
        }

        var r = Correlation.Pearson(pairs.Select(k => a[k]), pairs.Select(k => b[k]));
        return double.IsFinite(r) ? r : double.NaN;
    }

    private static List<IReadOnlyList<string>> Cluster(double[,] matrix, List<string> names, double threshold)
    {
        var clusters = Enumerable.Range(0, names.Count).Select(i => new List<int> { i }).ToList();
        var limit = 1 - threshold;
        while (clusters.Count > 1)
        {
            (double Distance, int A, int B) closest = (double.PositiveInfinity, -1, -1);
            for (var a = 0; a < clusters.Count; a++)
            {
                for (var b = a + 1; b < clusters.Count; b++)
                {
                    var distance = Average(matrix, clusters[a], clusters[b]);
                    if (distance < closest.Distance)
                    {
                        closest = (distance, a, b);
                    }
                }
            }

            if (closest.A < 0 || closest.Distance > limit)
            {
                break;
            }

            clusters[closest.A].AddRange(clusters[closest.B]);
            clusters.RemoveAt(closest.B);
        }

        return clusters.OrderByDescending(c => c.Count).ThenBy(c => c.Min())
            .Select(c => (IReadOnlyList<string>)c.Order().Select(i => names[i]).ToList()).ToList();
    }

    /// <summary>The average distance 1 - r between the members of two clusters (an unknown r counts as 1, i.e. unrelated).</summary>
    private static double Average(double[,] matrix, List<int> a, List<int> b) =>
        a.SelectMany(i => b.Select(j => double.IsNaN(matrix[i, j]) ? 1 : 1 - matrix[i, j])).Average();
}
