namespace AsyncFacade.Server.Security.Secrets;

/// <summary>The embedded default: one node, so each secret is made for this process and lives as long as it.</summary>
internal sealed class ProcessSecrets : ISharedSecrets
{
    public bool IsShared => false;

    public byte[] GetOrCreate(string name, Func<byte[]> create) => create();
}
