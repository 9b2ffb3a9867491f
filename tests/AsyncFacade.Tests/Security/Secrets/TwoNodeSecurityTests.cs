using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Security.Secrets;

/// <summary>
/// Two facades on one database behave as one authorization and resource server: replay protection, issued tokens and
/// signed file links hold across nodes, and the key ring they share is stored encrypted.
/// </summary>
public sealed class TwoNodeSecurityTests(TwoNodeSecurityFixture nodes) : IClassFixture<TwoNodeSecurityFixture>
{
    [Fact]
    public async Task An_assertion_accepted_by_one_node_is_refused_as_a_replay_by_the_other()
    {
        var assertion = nodes.Key.Assertion(SharedSecurityNodes.ClientId, SharedSecurityNodes.TokenUrl);
        using var first = await SharedSecurityNodes.RequestTokenAsync(nodes.NodeA, assertion);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var replay = await SharedSecurityNodes.RequestTokenAsync(nodes.NodeB, assertion);

        var body = await FhirAssert.JsonAsync(replay, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains("jti", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task One_assertion_sent_to_both_nodes_at_once_gets_exactly_one_token()
    {
        var assertion = nodes.Key.Assertion(SharedSecurityNodes.ClientId, SharedSecurityNodes.TokenUrl);

        var answers = await Task.WhenAll(
            SharedSecurityNodes.RequestTokenAsync(nodes.NodeA, assertion), SharedSecurityNodes.RequestTokenAsync(nodes.NodeB, assertion));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], answers.Select(a => a.StatusCode).Order());
    }

    [Fact]
    public async Task A_token_issued_by_one_node_opens_the_FHIR_API_on_the_other()
    {
        var token = await SharedSecurityNodes.TokenAsync(nodes.NodeA, nodes.Key);

        using var response = await SharedSecurityNodes.GetAsync(nodes.NodeB, "/fhir/Patient?_count=1", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await SharedSecurityNodes.JwksKidAsync(nodes.NodeA), await SharedSecurityNodes.JwksKidAsync(nodes.NodeB));
    }

    [Fact]
    public async Task A_signed_file_link_from_one_nodes_manifest_downloads_from_the_other_without_a_token()
    {
        var file = await SharedSecurityNodes.ExportedFileAsync(nodes.NodeA, await SharedSecurityNodes.TokenAsync(nodes.NodeA, nodes.Key));

        using var download = await SharedSecurityNodes.GetAsync(nodes.NodeB, file);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var firstLine = (await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n')[0];
        Assert.Equal("Patient", JsonDocument.Parse(firstLine).RootElement.GetProperty("resourceType").GetString());
        using var tampered = await SharedSecurityNodes.GetAsync(nodes.NodeB, file.Replace("signature=", "signature=x"));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task The_shared_key_ring_and_secrets_are_stored_encrypted()
    {
        var keys = await SharedSecurityNodes.QueryAsync(nodes.Database, "select xml from asyncfacade.data_protection_keys");
        var secrets = await SharedSecurityNodes.QueryAsync(nodes.Database, "select name from asyncfacade.facade_secrets order by name");
        var values = await SharedSecurityNodes.QueryAsync(nodes.Database, "select protected_value from asyncfacade.facade_secrets");

        var key = Assert.Single(keys); // node B used node A's key instead of making its own
        Assert.DoesNotContain("masterKey", key);
        Assert.DoesNotContain("unencrypted", key, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<encryptedKey kek=", key);
        Assert.Equal(["file-url-signing-key", "issuer-signing-key"], secrets);
        // Data Protection payloads (magic header 09F0C9F0), not key material in the clear.
        Assert.All(values, v => Assert.StartsWith("09F0C9F0", v));
    }

    [Fact]
    public void Start_up_logs_no_data_protection_warning()
    {
        var lines = nodes.LogsA.Entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)).ToList();

        Assert.Contains(lines, e => e.Message.StartsWith("Creating key", StringComparison.Ordinal)); // node A made the key ring: the warning's moment
        Assert.DoesNotContain(lines, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(nodes.LogsA.Entries, e => e.Message.Contains("No XML encryptor configured", StringComparison.Ordinal));
        Assert.DoesNotContain(nodes.LogsA.Entries, e => e.EventId is 7501 or 8203); // no per-process key, no unencrypted ring
        Assert.Contains(nodes.LogsA.Entries, e => e.EventId == 8204);              // the issuer key is the shared one
    }
}
