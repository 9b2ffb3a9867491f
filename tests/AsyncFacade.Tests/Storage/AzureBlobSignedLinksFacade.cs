using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Storage;

public sealed class AzureBlobSignedLinksFacade() : AzureBlobFacade(TestAzurite.NewContainer("signed"), signedLinks: true);
