using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

/// <summary>A facade whose output lives in its own Azurite container (Storage:Provider=azureblob), signed links on or off.</summary>
public abstract class AzureBlobFacade(string container, bool signedLinks) : FacadeFixture(FacadeStore.InMemory, new Dictionary<string, string?>
{
    ["Storage:Provider"] = "azureblob",
    ["Storage:Azure:ConnectionString"] = TestAzurite.ConnectionString,
    ["Storage:Azure:Container"] = container,
    ["Storage:Azure:Prefix"] = "jobs",
    ["Storage:SignedLinks"] = signedLinks ? "true" : "false",
    ["SampleUpstream:Patients"] = "10",
})
{
    public string Container => container;
}
