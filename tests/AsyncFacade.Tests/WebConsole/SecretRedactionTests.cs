using AsyncFacade.Server.WebConsole.Jobs;

namespace AsyncFacade.Tests.WebConsole;

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("Patient?name=smith&_count=10", "Patient?name=smith&_count=10")]
    [InlineData("Patient?access_token=abc&name=x", "Patient?access_token=[redacted]&name=x")]
    [InlineData("$export?_type=Observation&_typeFilter=Observation%3Fcode%3D123", "$export?_type=Observation&_typeFilter=Observation%3Fcode%3D123")]
    [InlineData("https://acct.blob.core.windows.net/c/f.ndjson?sv=2024-01-01&sig=SeCrEt%3D&se=2030", "https://acct.blob.core.windows.net/c/f.ndjson?sv=2024-01-01&sig=[redacted]&se=2030")]
    [InlineData("https://s3.example.org/b/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ff00", "https://s3.example.org/b/k?X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]")]
    [InlineData("https://user:hunter2@client.example.org/cb?client_secret=s&id=1", "https://[redacted]@client.example.org/cb?client_secret=[redacted]&id=1")]
    [InlineData("https://client.example.org/cb?API_KEY=k#frag", "https://client.example.org/cb?API_KEY=[redacted]#frag")]
    [InlineData("Patient?flag&password=", "Patient?flag&password=[redacted]")]
    public void Urls_keep_search_parameters_and_lose_credentials(string url, string expected) =>
        Assert.Equal(expected, SecretRedaction.Url(url));

    [Fact]
    public void Credential_headers_are_redacted_and_others_kept()
    {
        var headers = new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer eyJ.secret", ["Cookie"] = "session=1", ["X-Api-Key"] = "k", ["X-Upstream-Token"] = "t",
            ["Accept"] = "application/fhir+json", ["X-Simulate"] = "duration=5", ["Prefer"] = "handling=lenient",
        };

        var redacted = SecretRedaction.Headers(headers);

        foreach (var name in new[] { "Authorization", "Cookie", "X-Api-Key", "X-Upstream-Token" })
        {
            Assert.Equal(SecretRedaction.Redacted, redacted[name]);
        }
        Assert.Equal("application/fhir+json", redacted["accept"]);
        Assert.Equal("duration=5", redacted["X-Simulate"]);
        Assert.Equal("handling=lenient", redacted["Prefer"]);
    }
}
