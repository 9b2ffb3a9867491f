using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Metadata;

/// <summary>
/// Says where job output lives and how a bulk-data client downloads it: an extension a client can read
/// (<see cref="ExtensionUrl"/> with `provider` local | azureblob | s3 and `signedLinks` true | false) and a sentence in
/// `rest.documentation` for people.
/// </summary>
internal sealed class StorageCapabilities(IOutputStore output, IOptions<StorageOptions> options) : ICapabilityContributor
{
    /// <summary>No registry defines this: a logical name of the facade's own, stable across deployments.</summary>
    public const string ExtensionUrl = "urn:asyncfacade:output-storage";

    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        // The disk cannot sign a URL, whatever Storage:SignedLinks says (IOutputStore.GetReadLinkAsync).
        var signed = options.Value.SignedLinks && output.Provider != "local";
        statement.Extension.RemoveAll(e => e.Url == ExtensionUrl);
        statement.Extension.Add(new Extension
        {
            Url = ExtensionUrl,
            Extension =
            [
                new Extension("provider", new Code(output.Provider)),
                new Extension("signedLinks", new FhirBoolean(signed)),
            ],
        });
        var documentation = $"Output storage: {output.Provider}. " + (signed
            ? "Manifests list signed links straight to the storage service, valid until the job's `Expires` (`requiresAccessToken: false`)."
            : "Manifests list this server's own file URLs (`/fhir/_async/{id}/files/{name}`), served from the store with `Range` support.");
        server.Documentation = string.IsNullOrEmpty(server.Documentation) ? documentation : server.Documentation + "\n\n" + documentation;
    }
}
