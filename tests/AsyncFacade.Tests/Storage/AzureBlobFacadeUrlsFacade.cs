using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

public sealed class AzureBlobFacadeUrlsFacade() : AzureBlobFacade(TestAzurite.NewContainer("facade"), signedLinks: false);
