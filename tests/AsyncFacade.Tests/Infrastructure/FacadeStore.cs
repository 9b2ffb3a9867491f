namespace AsyncFacade.Tests.Infrastructure;

/// <summary>Which job store a test host runs on; store-dependent tests run on both.</summary>
public enum FacadeStore
{
    InMemory,
    Postgres,
}
