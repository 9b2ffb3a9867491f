using Microsoft.AspNetCore.HttpOverrides;

namespace AsyncFacade.Server.Hosting;

internal static class HostingExtensions
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        // `dotnet run` with no configuration listens on 8080; any usual setting (urls, http_ports, Kestrel:Endpoints) wins.
        var config = builder.Configuration;
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["http_ports"]) &&
            string.IsNullOrEmpty(config["https_ports"]) && !config.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddConsoleLogFormat();

        builder.Services.AddOptionsWithValidateOnStart<ServerOptions, ServerOptionsValidator>().BindConfiguration(ServerOptions.Section);
        builder.Services.AddSingleton<PublicBaseUrl>();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Not X-Forwarded-For: the client address must stay the real peer (the dashboard trusts loopback).
            // X-Forwarded-Prefix becomes the PathBase: a proxy that serves the facade under /some/prefix and strips it.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            if (config.GetValue(ServerOptions.Section + ":" + nameof(ServerOptions.TrustForwardedHeaders), true))
            {
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            }
        });
        return builder;
    }

    public static bool ServesApi(this WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value.ServesApi;
}
