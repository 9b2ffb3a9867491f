namespace AsyncFacade.Server.Security.Scopes;

/// <summary>The context a SMART scope grants access in: `patient/`, `user/` or `system/`.</summary>
public enum ScopeLevel
{
    Patient,
    User,
    System,
}
