namespace AsyncFacade.Server.WebConsole;

/// <summary>
/// Serves one embedded HTML page with headers that keep it safe: no inline script or style runs (so text a user typed
/// can never become code), nothing is loaded from elsewhere, and the page cannot be framed.
/// </summary>
internal static class ConsolePage
{
    // 'self' only: every script and style is a file under /console/assets. connect-src 'self' for the API calls.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'self'; frame-ancestors 'none'";

    public static async Task<IResult> RenderAsync(HttpContext httpContext, string name)
    {
        var assets = httpContext.RequestServices.GetRequiredService<ConsoleAssets>();
        var html = await assets.ReadPageAsync(name, httpContext.Request);
        SetSecurityHeaders(httpContext.Response);
        httpContext.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    public static void SetSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
