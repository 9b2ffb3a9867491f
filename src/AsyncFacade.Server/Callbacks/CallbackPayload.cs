using System.Security.Cryptography;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Callbacks;

/// <summary>The callback body of the unified async pattern's callback extension: a Parameters {status, resultUrl, outcome?}.</summary>
internal static class CallbackPayload
{
    public const string SignatureHeader = "X-Signature";

    /// <summary>Reads <see cref="CallbackNotification.OutcomeJson"/>; throws JsonException or DeserializationFailedException when unreadable.</summary>
    public static OperationOutcome? ReadOutcome(string? outcomeJson) => string.IsNullOrWhiteSpace(outcomeJson)
        ? null
        : JsonSerializer.Deserialize<OperationOutcome>(outcomeJson, FhirJson.Options);

    public static Parameters ToParameters(CallbackNotification notification, OperationOutcome? outcome)
    {
        var parameters = new Parameters();
        parameters.Add("status", new Code(notification.Status));
        parameters.Add("resultUrl", new FhirUrl(notification.ResultUrl));
        if (outcome is not null)
        {
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "outcome", Resource = outcome });
        }
        return parameters;
    }

    // The signature covers these exact bytes, so serialise once, straight to UTF-8, and send what was signed.
    public static byte[] Serialize(Parameters parameters) => JsonSerializer.SerializeToUtf8Bytes(parameters, FhirJson.Options);

    /// <summary>`sha256=` + lowercase hex HMAC-SHA256 of the body, the form GitHub-style webhook receivers already verify.</summary>
    public static string Sign(byte[] key, ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));
}
