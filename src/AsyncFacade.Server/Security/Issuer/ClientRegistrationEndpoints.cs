using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// `POST /auth/clients`, `GET /auth/clients`, `DELETE /auth/clients/{clientId}`: run-time registrations for the built-in
/// issuer, beside `/auth/token`. Always mapped (so the OpenAPI document shows them) and 404 unless the issuer is on and
/// Auth:Issuer:Registration is not Off; who may call them is <see cref="ClientRegistrationAccess"/> (Local: loopback requests only). No bearer token is asked for: a client
/// registers before it can have one, which is why Local is the default and the scopes are capped.
/// </summary>
internal static class ClientRegistrationEndpoints
{
    public const string Path = "/auth/clients";

    /// <summary>A JWKS of a few RSA-4096 keys is under 10 KB; 64 KiB refuses anything that is not a registration.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapClientRegistration(this IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup(Path).WithTags("Security").AddEndpointFilter(CheckAccessAsync)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, type: null, [FhirMediaTypes.Json]))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, type: null, [FhirMediaTypes.Json]));
        clients.MapPost("", RegisterAsync)
            .WithName("RegisterClient")
            .WithSummary("Registers a backend client for the built-in issuer: a public JWKS or a JWKS URL, scopes within the server's maximum, a token lifetime up to 300 s")
            .Accepts<ClientRegistrationRequest>("application/json")
            .Produces<ClientRegistrationResponse>(StatusCodes.Status201Created)
            .Produces(StatusCodes.Status400BadRequest, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status409Conflict, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status413PayloadTooLarge, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status415UnsupportedMediaType, contentType: FhirMediaTypes.Json);
        clients.MapGet("", ListAsync)
            .WithName("ListClients")
            .WithSummary("The clients registered at run time (configured clients are not listed), oldest first")
            .Produces<ClientRegistrationResponse[]>();
        clients.MapDelete("/{clientId}", DeleteAsync)
            .WithName("DeleteClient")
            .WithSummary("Deletes a run-time registration: the client gets no new tokens (tokens already issued run out within their lifetime)")
            .Produces(StatusCodes.Status204NoContent);
        return app;
    }

    /// <summary>Whether this request may register, list or delete: what Auth:Issuer:Registration allows.</summary>
    public static bool MayRegister(HttpContext httpContext, AuthIssuerOptions options) => options.Enabled && options.Registration switch
    {
        ClientRegistrationAccess.Open => true,
        ClientRegistrationAccess.Local => httpContext.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote),
        _ => false,
    };

    private static async ValueTask<object?> CheckAccessAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        var options = httpContext.RequestServices.GetRequiredService<IOptions<AuthIssuerOptions>>().Value;
        if (!options.Enabled || options.Registration == ClientRegistrationAccess.Off)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"Client registration is not offered by this server ({AuthIssuerOptions.Section}:Enabled is false or {AuthIssuerOptions.Section}:Registration is Off).");
        }
        if (MayRegister(httpContext, options))
        {
            return await next(context);
        }
        var logger = httpContext.RequestServices.GetRequiredService<ILogger<ClientRegistrar>>();
        ClientRegistrationLog.RemoteRefused(logger, httpContext.Connection.RemoteIpAddress?.ToString() ?? "(none)");
        return FhirResults.Error(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden,
            $"Client registration on this server is open to local requests only ({AuthIssuerOptions.Section}:Registration is Local). " +
            "Register on the server's own machine, or ask the operator to register the client in configuration.");
    }

    private static async Task<IResult> RegisterAsync(HttpRequest request, ClientRegistrar registrar, PublicBaseUrl publicBaseUrl,
        IOptions<AuthIssuerOptions> options, CancellationToken cancellationToken)
    {
        var (body, refusal) = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return refusal!;
        }
        var (client, refused) = await registrar.RegisterAsync(body, cancellationToken);
        if (client is null)
        {
            return refused!;
        }
        var response = Describe(client, request, publicBaseUrl, options.Value);
        return TypedResults.Created($"{request.PathBase}{Path}/{Uri.EscapeDataString(client.ClientId)}", response);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IClientRegistrationStore store, PublicBaseUrl publicBaseUrl,
        IOptions<AuthIssuerOptions> options, CancellationToken cancellationToken)
    {
        var clients = await store.ListAsync(cancellationToken);
        return TypedResults.Ok(clients.Select(c => Describe(c, request, publicBaseUrl, options.Value)).ToArray());
    }

    private static async Task<IResult> DeleteAsync(string clientId, IClientRegistrationStore store, ILogger<ClientRegistrar> logger, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(clientId, cancellationToken))
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                $"No client '{clientId}' was registered at run time (clients from configuration cannot be deleted here).");
        }
        ClientRegistrationLog.Deleted(logger, clientId);
        return TypedResults.NoContent();
    }

    public static ClientRegistrationResponse Describe(RegisteredClient client, HttpRequest request, PublicBaseUrl publicBaseUrl, AuthIssuerOptions options)
    {
        var fhirBase = publicBaseUrl.FhirBase(request);
        return new ClientRegistrationResponse(client.ClientId, client.Name, TokenUrl(fhirBase), fhirBase,
            Audience(fhirBase, options), string.Join(' ', client.Scopes), client.TokenLifetimeSeconds, client.JwksUrl,
            ClientRegistrar.KeyIds(client), client.CreatedAt);
    }

    public static string TokenUrl(string fhirBase) => fhirBase[..^PublicBaseUrl.FhirPath.Length] + TokenEndpoint.Path;

    /// <summary>The aud of issued tokens, as <see cref="TokenEndpoint"/> sets it.</summary>
    public static string Audience(string fhirBase, AuthIssuerOptions options) => string.IsNullOrEmpty(options.Audience) ? fhirBase : options.Audience;

    private static async Task<(ClientRegistrationRequest?, IResult?)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, FhirResults.Error(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                "The body must be application/json."));
        }
        var tooLarge = FhirResults.Error(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooLong, $"The body is larger than {MaxBodyBytes} bytes.");
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, tooLarge);
        }
        // A chunked body has no Content-Length: Kestrel stops it at the limit while it is read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            var body = await JsonSerializer.DeserializeAsync<ClientRegistrationRequest>(request.Body, Json, cancellationToken);
            return body is null
                ? (null, FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, "The body must be a JSON object."))
                : (body, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
        catch (JsonException e)
        {
            return (null, FhirResults.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid,
                $"The body is not a registration: {e.Message.Split(". Path:")[0]} (at {e.Path ?? "$"})."));
        }
    }
}
