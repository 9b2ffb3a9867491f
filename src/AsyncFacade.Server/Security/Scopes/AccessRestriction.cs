namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// What a grant limits access to: one patient's compartment (patient context) and/or a v2 search filter. A request
/// the grant allows must be narrowed by both (ANDed); <see cref="None"/> means the whole type.
/// </summary>
/// <param name="PatientId">The patient whose compartment is readable; null for no compartment limit.</param>
/// <param name="Query">A search filter that every resource must match (`category=laboratory`); null for none.</param>
public sealed record AccessRestriction(string? PatientId, string? Query)
{
    public static readonly AccessRestriction None = new(null, null);

    public bool IsNone => PatientId is null && Query is null;
}
