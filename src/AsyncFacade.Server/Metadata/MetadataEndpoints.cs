using System.Reflection;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Hosting;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Metadata;

/// <summary>`GET /fhir/metadata`: the upstream's CapabilityStatement with what the facade adds merged in.</summary>
internal static class MetadataEndpoints
{
    private static readonly string Version =
        typeof(MetadataEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static RouteGroupBuilder MapMetadata(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(PublicBaseUrl.FhirPath).WithTags("Metadata");
        fhir.MapGet("/metadata", GetAsync)
            .WithName("CapabilityStatement")
            .WithSummary("The upstream's CapabilityStatement, with the facade's asynchronous support and operations merged in")
            .Produces(StatusCodes.Status200OK, contentType: FhirMediaTypes.Json)
            .Produces(StatusCodes.Status502BadGateway, contentType: FhirMediaTypes.Json)
            .RequireJsonAccept();
        fhir.MapOtherMethods("/metadata", HttpMethods.Get);
        return fhir;
    }

    private static async Task<IResult> GetAsync(HttpContext httpContext, UpstreamClient upstream, PublicBaseUrl publicBase,
        IEnumerable<ICapabilityContributor> contributors, CancellationToken cancellationToken)
    {
        CapabilityStatement? statement;
        try
        {
            using var response = await upstream.GetAsync("metadata", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Unavailable($"The upstream answered {(int)response.StatusCode} to its metadata request.");
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            statement = await JsonSerializer.DeserializeAsync<CapabilityStatement>(body, FhirJson.Lenient, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or Polly.Timeout.TimeoutRejectedException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Unavailable("The upstream's CapabilityStatement could not be read: " + ex.Message);
        }
        if (statement is null)
        {
            return Unavailable("The upstream returned no CapabilityStatement.");
        }

        var facadeBase = publicBase.FhirBase(httpContext.Request);
        var upstreamSoftware = statement.Software is { Name: { } name } ? $"{name} {statement.Software.Version}".Trim() : "an unnamed FHIR server";
        statement.Software = new CapabilityStatement.SoftwareComponent { Name = "AsyncFacade", Version = Version };
        statement.Implementation = new CapabilityStatement.ImplementationComponent
        {
            Description = $"AsyncFacade: an asynchronous front for {upstreamSoftware}",
            Url = facadeBase,
        };
        statement.Kind = CapabilityStatementKind.Instance;
        var server = statement.Rest.FirstOrDefault(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server);
        if (server is null)
        {
            server = new CapabilityStatement.RestComponent { Mode = CapabilityStatement.RestfulCapabilityMode.Server };
            statement.Rest.Add(server);
        }
        foreach (var contributor in contributors)
        {
            contributor.Contribute(statement, server, facadeBase);
        }
        return FhirResults.Ok(statement);
    }

    private static IResult Unavailable(string diagnostics) =>
        FhirResults.Error(StatusCodes.Status502BadGateway, OperationOutcome.IssueType.Transient, diagnostics);
}
