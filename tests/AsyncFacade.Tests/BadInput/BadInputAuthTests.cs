namespace AsyncFacade.Tests.BadInput;

/// <summary>The corpus with auth on: bad or missing tokens, too few scopes, bad token requests, wrong methods on the issuer's documents.</summary>
[Collection(AuthBadInputCollection.Name)]
public sealed class BadInputAuthTests(AuthBadInputFacade host)
{
    public static TheoryData<string> Cases => BadInputCorpus.Names(AuthCorpus.All());

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Bad_request_with_auth_on_is_refused_at_once_and_changes_nothing(string name) =>
        BadInputCheck.RefusedAsync(host, BadInputCorpus.Find(name));
}
