using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Import;

namespace AsyncFacade.Tests.Import.Writes;

/// <summary>The comparison that decides whether a resource read back holds what a line sent.</summary>
public sealed class ResourceContentTests
{
    [Theory]
    // What servers add or rewrite themselves: meta, text, the id of a create, property order, number spelling.
    [InlineData("""{"resourceType":"Patient","id":"a","active":true}""", """{"resourceType":"Patient","id":"a","meta":{"versionId":"7","author":{"reference":"Practitioner/x"}},"active":true}""", true)]
    [InlineData("""{"resourceType":"Patient","active":true}""", """{"id":"srv-1","text":{"status":"generated","div":"<div/>"},"active":true,"resourceType":"Patient"}""", true)]
    [InlineData("""{"resourceType":"Observation","id":"o","valueQuantity":{"value":1.50,"unit":"kg"}}""", """{"resourceType":"Observation","id":"o","valueQuantity":{"unit":"kg","value":1.5}}""", true)]
    // What it must not wave through: another value, a missing or extra element, array order, nested meta-like names.
    [InlineData("""{"resourceType":"Patient","id":"a","active":true}""", """{"resourceType":"Patient","id":"a","active":false}""", false)]
    [InlineData("""{"resourceType":"Patient","id":"a","active":true,"gender":"female"}""", """{"resourceType":"Patient","id":"a","active":true}""", false)]
    [InlineData("""{"resourceType":"Patient","id":"a","name":[{"given":["A","B"]}]}""", """{"resourceType":"Patient","id":"a","name":[{"given":["B","A"]}]}""", false)]
    [InlineData("""{"resourceType":"Patient","id":"a","contact":[{"text":"x"}]}""", """{"resourceType":"Patient","id":"a","contact":[{}]}""", false)]
    [InlineData("""{"resourceType":"Patient","id":"a","active":true}""", """{"resourceType":"Patient","id":"a","active":"true"}""", false)]
    public void Stored_content_is_compared_with_what_the_line_sent_ignoring_only_what_servers_write_themselves(string sent, string stored, bool same)
    {
        using var document = JsonDocument.Parse(stored);

        Assert.Equal(same, ResourceContent.Same(Encoding.UTF8.GetBytes(sent), document.RootElement));
    }
}
