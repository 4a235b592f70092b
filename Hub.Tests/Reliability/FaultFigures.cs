using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// What a fault test counted at one target: sent, delivered (distinct), duplicated, lost. Printed to the
/// test output; when <c>HUB_RELIABILITY_FIGURES</c> names a directory, also appended there to
/// <c>figures.tsv</c>, which bench/reliability.sh turns into the table of docs/reliability.md.
/// </summary>
public sealed record FaultFigures(string Scenario, string Target, int Sent, int Delivered, int Duplicated, int Lost, string Notes = "")
{
    public const string Variable = "HUB_RELIABILITY_FIGURES";
    private static readonly Lock FileGate = new();

    /// <summary>Counts the ids <paramref name="expected"/> among <paramref name="received"/> (a received id may repeat).</summary>
    public static FaultFigures Count(string scenario, string target, IReadOnlyCollection<string> expected, IEnumerable<string> received, string notes = "")
    {
        ArgumentNullException.ThrowIfNull(expected);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in received)
        {
            seen[id] = seen.GetValueOrDefault(id) + 1;
        }

        var delivered = expected.Count(seen.ContainsKey);
        var duplicated = expected.Sum(id => Math.Max(0, seen.GetValueOrDefault(id) - 1));
        return new FaultFigures(scenario, target, expected.Count, delivered, duplicated, expected.Count - delivered, notes);
    }

    public void Report(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(ToString());
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            var line = string.Join('\t', Scenario, Target, Sent.ToString(CultureInfo.InvariantCulture), Delivered.ToString(CultureInfo.InvariantCulture),
                Duplicated.ToString(CultureInfo.InvariantCulture), Lost.ToString(CultureInfo.InvariantCulture), Notes.ReplaceLineEndings(" "));
            lock (FileGate)
            {
                File.AppendAllText(Path.Combine(directory, "figures.tsv"), line + "\n", new UTF8Encoding(false));
            }
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Scenario} | {Target}: sent {Sent}, delivered {Delivered}, duplicated {Duplicated}, lost {Lost}{(Notes.Length > 0 ? " (" + Notes + ")" : "")}");
}
