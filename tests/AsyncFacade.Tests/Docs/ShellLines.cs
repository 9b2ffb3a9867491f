namespace AsyncFacade.Tests.Docs;

/// <summary>
/// Which lines of a shell block start a command, so that a failure can name the line a reader sees the command
/// start on (bash's <c>$LINENO</c> names its last line). A line continues the previous command after a trailing
/// <c>\</c>, <c>|</c>, <c>&amp;&amp;</c> or <c>||</c>, inside a quoted string and inside parentheses (<c>$(…)</c>).
/// Heuristic, not a shell parser: here-documents are not recognised.
/// </summary>
public static class ShellLines
{
    public static bool[] CommandStarts(IReadOnlyList<string> lines)
    {
        var starts = new bool[lines.Count];
        char? quote = null;
        var enclosing = new Stack<char?>(); // the quoting outside each open ( or $( : quoting starts afresh inside
        var continued = false;
        for (var i = 0; i < lines.Count; i++)
        {
            starts[i] = quote is null && enclosing.Count == 0 && !continued;
            var line = lines[i];
            var escapedEnd = false;
            var comment = line.Length;
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote == '\'')
                {
                    quote = ch == '\'' ? null : quote;
                }
                else if (ch == '\\')
                {
                    escapedEnd = c == line.Length - 1;
                    c++;
                }
                else if (quote == '"')
                {
                    if (ch == '"')
                    {
                        quote = null;
                    }
                    else if (ch == '$' && c + 1 < line.Length && line[c + 1] == '(')
                    {
                        enclosing.Push(quote);
                        quote = null;
                        c++;
                    }
                }
                else if (ch is '\'' or '"')
                {
                    quote = ch;
                }
                else if (ch == '#' && (c == 0 || char.IsWhiteSpace(line[c - 1])))
                {
                    comment = c;
                    break;
                }
                else if (ch == '(')
                {
                    enclosing.Push(null);
                }
                else if (ch == ')' && enclosing.Count > 0) // a case pattern's ) opens nothing
                {
                    quote = enclosing.Pop();
                }
            }
            var end = line[..comment].TrimEnd();
            continued = quote is null && (escapedEnd || end.EndsWith('|') || end.EndsWith("&&", StringComparison.Ordinal));
        }
        return starts;
    }
}
