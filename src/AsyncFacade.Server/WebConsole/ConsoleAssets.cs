using System.Collections.Concurrent;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace AsyncFacade.Server.WebConsole;

/// <summary>
/// The console's pages, styles and scripts, embedded in the server assembly: they ship with the server and need no
/// content root, CDN or build step at run time.
/// </summary>
internal sealed class ConsoleAssets
{
    public const string AssetsPath = "/console/assets";

    private readonly ManifestEmbeddedFileProvider files = new(typeof(ConsoleAssets).Assembly, "WebConsole/Assets");
    private readonly FileExtensionContentTypeProvider contentTypes = new();

    public IFileProvider Files => files;

    // Partials spliced into every page: {{head}} (charset, viewport, base, stylesheet) and {{header}} (the site header).
    private static readonly string[] Partials = ["head", "header"];

    // Pages with their partials spliced in, once per page: only {{base}} differs between requests.
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> templates = new(StringComparer.Ordinal);

    /// <summary>
    /// The text of an embedded page: each <c>{{name}}</c> of <see cref="Partials"/> replaced by <c>_name.html</c>, then
    /// <c>{{base}}</c> by the request's path base, so links and API calls work behind a proxy prefix.
    /// </summary>
    public async Task<string> ReadPageAsync(string name, HttpRequest request)
    {
        var html = await templates.GetOrAdd(name, page => new Lazy<Task<string>>(() => SpliceAsync(page))).Value
            .WaitAsync(request.HttpContext.RequestAborted);
        var pathBase = System.Net.WebUtility.HtmlEncode(request.PathBase.Value ?? "");
        return html.Replace("{{base}}", pathBase + "/", StringComparison.Ordinal);
    }

    private async Task<string> SpliceAsync(string name)
    {
        var html = await ReadTextAsync(name);
        foreach (var partial in Partials)
        {
            var placeholder = "{{" + partial + "}}";
            if (html.Contains(placeholder, StringComparison.Ordinal))
            {
                var text = (await ReadTextAsync("_" + partial + ".html")).TrimEnd('\n');
                html = html.Replace(placeholder, text, StringComparison.Ordinal);
            }
        }
        return html;
    }

    private async Task<string> ReadTextAsync(string name)
    {
        var file = files.GetFileInfo(name);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The console file {name} is not embedded.", name);
        }
        using var reader = new StreamReader(file.CreateReadStream());
        return await reader.ReadToEndAsync();
    }

    public string ContentType(string name) =>
        contentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
}
