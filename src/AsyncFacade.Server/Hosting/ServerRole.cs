namespace AsyncFacade.Server.Hosting;

/// <summary>What one process does: serve the API, run jobs, or both (the default). Split roles need PostgreSQL.</summary>
public enum ServerRole
{
    Both,
    Api,
    Worker,
}
