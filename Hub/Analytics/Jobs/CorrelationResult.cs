namespace Hub.Analytics.Jobs;

/// <summary>The Pearson correlation matrix of some series and their clusters.</summary>
/// <param name="Series">The series, in the matrix's order.</param>
/// <param name="Matrix">Pearson's r for each pair (NaN where two series have fewer than three common steps or one is constant).</param>
/// <param name="Clusters">Groups of series that move together (average linkage on 1 - r, cut at 1 - threshold), largest first.</param>
internal sealed record CorrelationResult(IReadOnlyList<string> Series, double[,] Matrix, IReadOnlyList<IReadOnlyList<string>> Clusters);
