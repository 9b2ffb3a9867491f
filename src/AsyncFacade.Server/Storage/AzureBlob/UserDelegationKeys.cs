using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AsyncFacade.Server.Storage.AzureBlob;

/// <summary>
/// The key a user-delegation SAS is signed with, borrowed from the service for up to 7 days (its limit) and shared by
/// every link until a day before it runs out, so a manifest with a thousand files costs one call, not a thousand.
/// </summary>
internal sealed class UserDelegationKeys(BlobServiceClient service, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private UserDelegationKey? current;

    public async Task<UserDelegationKey> GetAsync(CancellationToken cancellationToken)
    {
        if (current is { } key && key.SignedExpiresOn - time.GetUtcNow() > RenewBefore)
        {
            return key;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (current is not { } cached || cached.SignedExpiresOn - now <= RenewBefore)
            {
                current = (await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), now + Lifetime, cancellationToken)).Value;
            }
            return current;
        }
        finally
        {
            gate.Release();
        }
    }
}
