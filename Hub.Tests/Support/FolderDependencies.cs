using System.Text;
using System.Text.RegularExpressions;

namespace Hub.Tests.Support;

/// <summary>
/// The dependencies between the top-level folders of <c>Hub/</c>, read from the sources: each folder's
/// namespace is <c>Hub.FOLDER</c> (and <c>Hub.FOLDER.*</c> below it), so a file depends on another folder where it
/// names that folder's namespace: a <c>using</c> directive (also <c>static</c>, alias and <c>global</c>), a fully
/// qualified <c>Hub.FOLDER.Type</c>, or, inside <c>namespace Hub.*</c>, a partly qualified <c>FOLDER.Type</c> (C#
/// resolves it through the enclosing <c>Hub</c>). Comments and string literals are skipped. Files at the root of
/// <c>Hub/</c> (Program.cs, the entry point) are not part of any folder.
/// </summary>
public sealed partial class FolderDependencies
{
    private FolderDependencies(IReadOnlySet<string> folders, IReadOnlyList<FolderReference> references, IReadOnlyList<string> misplaced)
    {
        Folders = folders;
        References = references;
        Misplaced = misplaced;
    }

    /// <summary>The top-level folders that hold C# files.</summary>
    public IReadOnlySet<string> Folders { get; }

    /// <summary>Every reference from one folder to another, in file and line order.</summary>
    public IReadOnlyList<FolderReference> References { get; }

    /// <summary>Files whose namespace is not their folder's (<c>FILE:LINE: …</c>): their references would be counted against the wrong folder.</summary>
    public IReadOnlyList<string> Misplaced { get; }

    /// <summary>Scans <c>Hub/**/*.cs</c> (without bin/ and obj/).</summary>
    public static FolderDependencies Scan(string hubDirectory) =>
        Scan(Directory.EnumerateFiles(hubDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(hubDirectory, path).Replace('\\', '/'))
            .Where(relative => !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(relative => (relative, File.ReadAllText(Path.Combine(hubDirectory, relative)))));

    /// <summary>Scans the given files: paths relative to <c>Hub/</c> with '/' separators, and their text.</summary>
    public static FolderDependencies Scan(IEnumerable<(string Path, string Text)> files)
    {
        var sources = files.Select(f => (f.Path, Folder: FolderOf(f.Path), Code: CodeOnly(f.Text))).Where(f => f.Folder is not null).ToList();
        var folders = sources.Select(s => s.Folder!).ToHashSet(StringComparer.Ordinal);

        // What a partly qualified FOLDER.Name may name: the types declared in Hub.FOLDER and its sub-namespaces, and those sub-namespaces.
        var declared = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var misplaced = new List<string>();
        foreach (var (path, folder, code) in sources)
        {
            var ns = NamespacePattern().Match(code);
            var segments = ns.Success ? ns.Groups[1].Value.Split('.') : [];
            if (segments.Length < 2 || segments[0] != "Hub" || segments[1] != folder)
            {
                misplaced.Add($"Hub/{path}:{(ns.Success ? LineOf(code, ns.Index) : 1)}: namespace {(ns.Success ? ns.Groups[1].Value : "(none)")} is not in Hub.{folder}, the namespace of its folder");
                continue;
            }

            declared[folder].UnionWith(segments.Skip(2));
            declared[folder].UnionWith(TypePattern().Matches(code).Select(m => m.Groups[1].Value));
        }

        var references = new List<FolderReference>();
        foreach (var (path, folder, code) in sources)
        {
            var lines = code.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (var (to, text) in ReferencesIn(lines[i], folders, declared))
                {
                    if (to != folder)
                    {
                        references.Add(new FolderReference(folder!, to, path, i + 1, text));
                    }
                }
            }
        }

        return new FolderDependencies(folders, references, misplaced);
    }

    /// <summary>The folders each folder depends on.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Graph() =>
        Folders.ToDictionary(f => f, f => (IReadOnlySet<string>)References.Where(r => r.From == f).Select(r => r.To).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>The groups of folders that depend on each other in a cycle (strongly connected components of more than one folder).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var graph = Graph();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            foreach (var next in graph[folder].Order(StringComparer.Ordinal))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[folder] = Math.Min(low[folder], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[folder] = Math.Min(low[folder], index[next]);
                }
            }

            if (low[folder] == index[folder])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != folder);

                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var folder in Folders.Order(StringComparer.Ordinal).Where(f => !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        return cycles;
    }

    /// <summary>The shortest way round one of <see cref="Cycles"/>: the first reference of each step (A → B → … → A).</summary>
    public IReadOnlyList<FolderReference> ShortestCycle(IReadOnlyList<string> cycle)
    {
        var graph = Graph();
        List<string>? shortest = null;
        foreach (var start in cycle)
        {
            // Breadth-first from start, inside the cycle, back to start.
            var previous = new Dictionary<string, string>(StringComparer.Ordinal);
            var queue = new Queue<string>([start]);
            while (queue.Count > 0 && !previous.ContainsKey(start))
            {
                var folder = queue.Dequeue();
                foreach (var next in graph[folder].Where(cycle.Contains).Order(StringComparer.Ordinal).Where(n => !previous.ContainsKey(n)))
                {
                    previous[next] = folder;
                    queue.Enqueue(next);
                }
            }

            var path = new List<string> { start };
            for (var folder = previous[start]; folder != start; folder = previous[folder])
            {
                path.Insert(0, folder);
            }

            path.Insert(0, start);
            if (shortest is null || path.Count < shortest.Count)
            {
                shortest = path;
            }
        }

        var steps = shortest ?? [];
        return [.. steps.Zip(steps.Skip(1), (from, to) => References.First(r => r.From == from && r.To == to))];
    }

    private static string? FolderOf(string path) => path.Contains('/', StringComparison.Ordinal) ? path[..path.IndexOf('/', StringComparison.Ordinal)] : null;

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static IEnumerable<(string To, string Text)> ReferencesIn(string line, IReadOnlySet<string> folders, Dictionary<string, HashSet<string>> declared)
    {
        if (UsingPattern().Match(line) is { Success: true } directive)
        {
            if (folders.Contains(directive.Groups[1].Value))
            {
                yield return (directive.Groups[1].Value, line.Trim());
            }

            yield break;
        }

        if (NamespacePattern().IsMatch(line))
        {
            yield break;
        }

        foreach (Match qualified in QualifiedPattern().Matches(line))
        {
            if (folders.Contains(qualified.Groups[1].Value))
            {
                yield return (qualified.Groups[1].Value, qualified.Value);
            }
        }

        foreach (Match partly in PartlyQualifiedPattern().Matches(line))
        {
            if (partly.Groups[1].Value != "Hub" && declared.TryGetValue(partly.Groups[1].Value, out var names) && names.Contains(partly.Groups[2].Value))
            {
                yield return (partly.Groups[1].Value, partly.Value);
            }
        }
    }

    /// <summary>The text with comments and the contents of string and character literals blanked (line breaks kept, so line numbers stay).</summary>
    internal static string CodeOnly(string text)
    {
        var code = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var end = i + 1;
            var blank = true;
            if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                end = text.IndexOf('\n', i) is var newline and >= 0 ? newline : text.Length;
            }
            else if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                end = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : text.Length;
            }
            else if (text[i] == '"')
            {
                end = StringEnd(text, i);
            }
            else if (text[i] == '\'')
            {
                end = QuotedEnd(text, i, '\'');
            }
            else
            {
                blank = false;
            }

            for (var j = i; j < end; j++)
            {
                code.Append(!blank || text[j] == '\n' ? text[j] : ' ');
            }

            i = end;
        }

        return code.ToString();
    }

    private static int StringEnd(string text, int start)
    {
        var quotes = 0;
        while (start + quotes < text.Length && text[start + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            var close = text.IndexOf(new string('"', quotes), start + quotes, StringComparison.Ordinal);
            return close >= 0 ? close + quotes : text.Length;
        }

        var prefix = start;
        while (prefix > 0 && text[prefix - 1] is '@' or '$')
        {
            prefix--;
        }

        if (text.AsSpan(prefix, start - prefix).Contains('@'))
        {
            var i = start + 1;
            while (i < text.Length)
            {
                if (text[i] == '"' && (i + 1 >= text.Length || text[i + 1] != '"'))
                {
                    return i + 1;
                }

                i += text[i] == '"' ? 2 : 1;
            }

            return text.Length;
        }

        return QuotedEnd(text, start, '"');
    }

    private static int QuotedEnd(string text, int start, char quote)
    {
        var i = start + 1;
        while (i < text.Length && text[i] != quote && text[i] != '\n')
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        return Math.Min(i + 1, text.Length);
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record|delegate\s+[\w<>\[\]?,.\s]+?)\s+([A-Z]\w*)")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?Hub\.(\w+)[\w.]*\s*;")]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?Hub\.(\w+)\.[\w.]*\w")]
    private static partial Regex QualifiedPattern();

    [GeneratedRegex(@"(?<![\w.:])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex PartlyQualifiedPattern();
}
