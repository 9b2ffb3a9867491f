namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The SMART claims of the token a job was started with (`scope`, `patient`, `fhirUser`; never the token), so work done
/// later is limited exactly as the kick-off was: the job applies the same scope rules to what it finds upstream then.
/// </summary>
public sealed record CallerScopes(string? Scope, string? Patient, string? FhirUser)
{
    public static CallerScopes Of(System.Security.Claims.ClaimsPrincipal user) =>
        new(user.FindFirst("scope")?.Value, user.FindFirst("patient")?.Value, user.FindFirst("fhirUser")?.Value);

    public Security.Scopes.SmartScopes Parse() => Security.Scopes.SmartScopes.Parse(Scope, Patient, FhirUser);
}
