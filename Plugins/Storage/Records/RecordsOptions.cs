namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>records</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class RecordsOptions : IValidatableOptions
{
    [Option(Description = "csv (one line of delimited fields per message) or jsonl (one JSON object per message)")]
    public string Format { get; set; } = "csv";

    [Option(Description = "what each record holds, in order: data keys, {…} templates, $time, $message; unset: _dtiso, topic, payload for csv, every data key for jsonl")]
    public IReadOnlyList<string>? Fields { get; set; }

    [Option(Description = "csv: write the field names as the first line of each new file")]
    public bool Header { get; set; } = true;

    [Option(Description = "csv: the field separator (one character)")]
    public string Delimiter { get; set; } = ",";

    [Option("rotate_bytes", Description = "start a new file before one would grow past this many bytes; 0: never by size")]
    public long RotateBytes { get; set; }

    [Option("rotate_interval", Description = "start a new file when this many seconds (aligned to UTC midnight, e.g. 3600 or 86400) have passed into a new period; 0: never by time")]
    public long RotateInterval { get; set; }

    [Option(Description = "compress each rotated file to .gz (the file being written stays plain)")]
    public bool Gzip { get; set; }

    [Option(Description = "how many rotated files of a path to keep (the oldest are deleted); 0: all")]
    public int Keep { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (Format is not ("csv" or "jsonl"))
        {
            yield return new OptionProblem("format", "must be csv or jsonl");
        }

        if (Delimiter.Length != 1 || Delimiter[0] is '"' or '\r' or '\n')
        {
            yield return new OptionProblem("delimiter", "must be one character other than a quote or a line break");
        }

        if (RotateBytes < 0 || RotateInterval < 0 || Keep < 0)
        {
            yield return new OptionProblem(null, "rotate_bytes, rotate_interval and keep must not be negative");
        }
    }
}
