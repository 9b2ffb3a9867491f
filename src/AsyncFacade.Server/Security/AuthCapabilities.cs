using AsyncFacade.Server.Metadata;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Issuer;
using AsyncFacade.Server.Security.Authority;

namespace AsyncFacade.Server.Security;

/// <summary>With auth on, the CapabilityStatement says so: `rest.security` is a SMART-on-FHIR service with its token URL.</summary>
internal sealed class AuthCapabilities(IOptions<AuthOptions> options, IOptions<AuthIssuerOptions> issuer, AuthorityConfiguration authority) : ICapabilityContributor
{
    public void Contribute(CapabilityStatement statement, CapabilityStatement.RestComponent server, string facadeBase)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var security = new CapabilityStatement.SecurityComponent
        {
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
            Description = new Markdown("SMART Backend Services: client_credentials with a private_key_jwt client assertion. SMART v1 and v2 scopes (v2 search filters included); patient/ and user/ scopes only with a patient or user context in the token, limited to that patient's compartment. See /fhir/.well-known/smart-configuration."),
        };
        if (SmartConfigurationEndpoints.TokenEndpoint(options.Value, issuer.Value, facadeBase, authority.Current?.TokenEndpoint) is { } token)
        {
            security.Extension.Add(new Extension { Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                Extension = [new Extension("token", new FhirUri(token))] });
        }
        server.Security = security;
    }
}
