using System.Text.RegularExpressions;

namespace AsyncFacade.Tests.Docs;

/// <summary>
/// Finds the shell examples of a Markdown page (issue 16: every example in the docs must run as written).
/// <list type="bullet">
/// <item>A fenced code block (<c>```</c> or <c>~~~</c>, at any indentation, e.g. inside a list item) whose info string
/// starts with <c>bash</c>, <c>sh</c> or <c>shell</c> is an example and is run. Every other fence (<c>text</c>,
/// <c>json</c>, <c>http</c>, <c>csharp</c>, none) is not.</item>
/// <item>Markers are HTML comments (invisible when rendered) on the lines directly above the fence, one directive per
/// comment, no blank line in between:
/// <c>&lt;!-- example: skip "reason" --&gt;</c> (not run: needs a real external host, Docker, the server's own run
/// command, a second terminal…; listed as a skipped test with the reason);
/// <c>&lt;!-- example: server KEY=VALUE KEY2="a value" KEY3='{"json":1}' --&gt;</c> (run against a server started with these extra
/// environment variables; blocks with the same set share one server; several such lines add up);
/// <c>&lt;!-- example: allow-http-errors --&gt;</c> (the block shows 4xx/5xx answers on purpose, so curl may get them).</item>
/// <item>An unknown or malformed directive, a marker that is not directly above a fence, a marker on a block that is
/// not run, and a fence that is never closed are errors naming the page and line.</item>
/// </list>
/// </summary>
public static partial class MarkdownExamples
{
    private static readonly HashSet<string> ShellLanguages = new(StringComparer.OrdinalIgnoreCase) { "bash", "sh", "shell" };

    public static IReadOnlyList<DocExample> Parse(string page, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var examples = new List<DocExample>();
        var pending = new Markers();
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = MarkerLine().Match(lines[i]);
            if (marker.Success)
            {
                pending.Add(marker.Groups["body"].Value.Trim(), page, i + 1);
                continue;
            }
            if (MarkerLike().IsMatch(lines[i]))
            {
                throw Error(page, i + 1, "malformed marker (expected <!-- example: skip \"reason\" | server KEY=VALUE… | allow-http-errors -->)");
            }

            var open = OpeningFence().Match(lines[i]);
            if (!open.Success || (open.Groups["fence"].Value[0] == '`' && open.Groups["info"].Value.Contains('`')))
            {
                if (pending.Line is { } orphan)
                {
                    throw Error(page, orphan, "marker is not directly above a code fence");
                }
                continue;
            }

            var start = i;
            var code = ReadFenced(lines, ref i, open, page);
            var language = open.Groups["info"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (ShellLanguages.Contains(language))
            {
                examples.Add(new DocExample(page, start + 1, code, pending.SkipReason, pending.Server, pending.AllowHttpErrors));
            }
            else if (pending.Line is { } useless)
            {
                throw Error(page, useless, $"marker on a '{language}' block, which is not run (only bash, sh and shell blocks are)");
            }
            pending = new Markers();
        }
        return pending.Line is { } last ? throw Error(page, last, "marker is not directly above a code fence") : examples;
    }

    /// <summary>Reads up to the closing fence (same character, at least as long); leaves <paramref name="i"/> on it.</summary>
    private static string ReadFenced(string[] lines, ref int i, Match open, string page)
    {
        var fence = open.Groups["fence"].Value;
        var indent = open.Groups["indent"].Value.Length;
        var start = i;
        var code = new List<string>();
        for (i++; i < lines.Length; i++)
        {
            var close = ClosingFence().Match(lines[i]);
            if (close.Success && close.Groups["fence"].Value[0] == fence[0] && close.Groups["fence"].Value.Length >= fence.Length)
            {
                return string.Join('\n', code);
            }
            // Content loses the fence's own indentation (CommonMark), so a block inside a list item runs as shown.
            var strip = Math.Min(indent, lines[i].Length - lines[i].TrimStart(' ').Length);
            code.Add(lines[i][strip..]);
        }
        throw Error(page, start + 1, $"code fence {fence} is never closed");
    }

    private static FormatException Error(string page, int line, string message) => new($"{page}:{line}: {message}");

    [GeneratedRegex(@"^\s*<!--\s*example:(?<body>.*?)-->\s*$")]
    private static partial Regex MarkerLine();

    [GeneratedRegex(@"^\s*<!--\s*example\b")]
    private static partial Regex MarkerLike();

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})\s*(?<info>.*?)\s*$")]
    private static partial Regex OpeningFence();

    [GeneratedRegex(@"^ *(?<fence>`{3,}|~{3,})\s*$")]
    private static partial Regex ClosingFence();

    [GeneratedRegex(@"^skip\s+""(?<reason>[^""]+)""$")]
    private static partial Regex SkipDirective();

    [GeneratedRegex(@"^server(?:\s+(?<key>[A-Za-z_][A-Za-z0-9_.]*)=(?:""(?<value>[^""]*)""|'(?<value>[^']*)'|(?<value>[^\s""']*)))+$")]
    private static partial Regex ServerDirective();

    /// <summary>The markers collected above the next fence.</summary>
    private sealed class Markers
    {
        private readonly Dictionary<string, string> server = new(StringComparer.Ordinal);

        public int? Line { get; private set; }

        public string? SkipReason { get; private set; }

        public bool AllowHttpErrors { get; private set; }

        public IReadOnlyDictionary<string, string> Server => server;

        public void Add(string directive, string page, int line)
        {
            Line ??= line;
            if (directive == "allow-http-errors")
            {
                AllowHttpErrors = true;
            }
            else if (SkipDirective().Match(directive) is { Success: true } skip)
            {
                SkipReason = skip.Groups["reason"].Value.Trim();
            }
            else if (ServerDirective().Match(directive) is { Success: true } settings)
            {
                var keys = settings.Groups["key"].Captures;
                var values = settings.Groups["value"].Captures;
                for (var k = 0; k < keys.Count; k++)
                {
                    if (!server.TryAdd(keys[k].Value, values[k].Value))
                    {
                        throw Error(page, line, $"server setting {keys[k].Value} is given twice");
                    }
                }
            }
            else
            {
                throw Error(page, line, $"unknown marker '{directive}' (expected skip \"reason\", server KEY=VALUE… or allow-http-errors)");
            }
        }
    }
}
