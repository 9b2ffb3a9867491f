namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// SMART v2 permissions (`c`reate, `r`ead, `u`pdate, `d`elete, `s`earch). v1 maps onto them as SMART App Launch 2
/// §Scopes for requesting clinical data says: `.read` = `rs`, `.write` = `cud`, `.*` = `cruds`.
/// </summary>
[Flags]
public enum ScopePermissions
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    ReadAndSearch = Read | Search,
    Write = Create | Update | Delete,
    All = Create | Read | Update | Delete | Search,
}
