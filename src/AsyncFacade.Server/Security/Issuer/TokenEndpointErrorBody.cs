using System.Text.Json.Serialization;

namespace AsyncFacade.Server.Security.Issuer;

/// <summary>RFC 6749 §5.2 error body.</summary>
internal sealed record TokenEndpointErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
