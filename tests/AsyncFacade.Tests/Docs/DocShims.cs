using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Docs;

/// <summary>The <c>curl</c> and <c>fhir-async</c> commands the examples find first on their PATH.</summary>
public static class DocShims
{
    /// <summary>
    /// The real curl, made strict. <c>--fail-with-body</c> turns an answer of 400 or more into exit 22 (the body is
    /// still printed, so <c>curl -si</c> shows what it always shows), which <c>-o /dev/null</c> or a pipe into
    /// <c>awk</c> would otherwise hide; not added when the example asks for <c>-f</c>/<c>--fail</c> itself (curl refuses
    /// both) or its block allows HTTP errors. A failed call also prints its status code and URL (unless the example
    /// has a <c>-w</c> of its own). Exit 23 (the reader of a pipe, e.g. <c>head -2</c>, stopped early) is
    /// what a terminal shows as success, unless the body went to a file (<c>-o</c>). Every other failure is logged
    /// for the block's end, so one hidden by <c>|| true</c> or an <c>echo "$(curl …)"</c> still fails it.
    /// </summary>
    private const string Curl = """
        #!/usr/bin/env bash
        real=__REAL_CURL__
        log="$DOCS_EXAMPLE_STATE/curl-failures"
        strict=(--fail-with-body)
        [ "${DOCS_EXAMPLE_HTTP_ERRORS:-}" = allow ] && strict=()
        report=(--write-out '%{onerror}%{stderr}curl (doc examples): status %{http_code} from %{url_effective}\n')
        to_file=
        for arg in "$@"; do
          case "$arg" in
            null)
              echo "curl (doc examples): refusing the URL 'null' (a jq -r of a field that is not there?)" >&2
              echo "curl $*: the URL is 'null'" >> "$log"
              exit 3 ;;
            -f|--fail|--fail-with-body) strict=() ;;
            -o|--output|-O|--remote-name|--output-dir) to_file=1 ;;
            -w|--write-out) report=() ;;
            --*) ;;
            -*f*) strict=() ;;
          esac
        done
        status=0
        "$real" "${strict[@]}" "${report[@]}" "$@" || status=$?
        if [ "$status" -eq 23 ] && [ -z "$to_file" ] && [ -p /dev/stdout ]; then
          exit 0
        fi
        if [ "$status" -ne 0 ]; then
          case "$status" in
            22) why="an HTTP answer of 400 or more (mark the block allow-http-errors if it shows one on purpose)" ;;
            3) why="malformed URL" ;;
            6) why="could not resolve the host" ;;
            7) why="could not connect" ;;
            28) why="timed out" ;;
            *) why="see curl's exit codes" ;;
          esac
          echo "curl (doc examples): exit $status, $why: curl $*" >&2
          echo "exit $status, $why: curl $*" >> "$log"
        fi
        exit "$status"
        """;

    private const string FhirAsync = """
        #!/usr/bin/env bash
        exec dotnet __CLI__ "$@"
        """;

    public static void Write(string directory)
    {
        WriteScript(Path.Combine(directory, "curl"), Curl.Replace("__REAL_CURL__", Quote(FindOnPath("curl")), StringComparison.Ordinal));
        WriteScript(Path.Combine(directory, "fhir-async"),
            FhirAsync.Replace("__CLI__", Quote(RepositoryRoot.BuiltAssembly("AsyncFacade.Cli", "fhir-async.dll")), StringComparison.Ordinal));
        FindOnPath("jq");
    }

    private static string FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"The doc examples need {tool} on PATH (./test.sh installs curl and jq with apt when it runs as root).");

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void WriteScript(string path, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The doc examples are bash scripts");
        }
        File.WriteAllText(path, text + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
