using System.Net;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>Registrations in PostgreSQL: shared by the nodes on one database and kept across a restart.</summary>
public sealed class ClientRegistrationPostgresTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_registered_on_one_node_gets_tokens_from_another_and_after_a_restart()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(ct);
        var key = AuthIssuerClientKey.Es384();
        string clientId;
        await using (var first = new FacadeApplication(LaunchFacade.Settings(), database.ConnectionString).Start())
        await using (var second = new FacadeApplication(LaunchFacade.Settings(), database.ConnectionString).Start())
        {
            using var one = first.CreateRawClient();
            using var two = second.CreateRawClient();
            clientId = (await Registrations.RegisterAsync(one, new { name = "durable", jwks = key.PublicJwks, scopes = "system/*.read" }, ct))
                .GetProperty("clientId").GetString()!;

            await Registrations.TokenBodyAsync(two, new Uri(second.ServerAddress, "auth/token").ToString(), clientId, key, "system/*.read", ct);
        }

        await using var restarted = new FacadeApplication(LaunchFacade.Settings(), database.ConnectionString).Start();
        using var http = restarted.CreateRawClient();
        var listed = await FhirAssert.JsonAsync(await http.GetAsync("/auth/clients", ct));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("clientId").GetString() == clientId && c.GetProperty("name").GetString() == "durable");
        await Registrations.TokenBodyAsync(http, new Uri(restarted.ServerAddress, "auth/token").ToString(), clientId, key, "system/*.read", ct);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/auth/clients/{clientId}", ct)).StatusCode);
        using var refused = await Registrations.TokenAsync(http, new Uri(restarted.ServerAddress, "auth/token").ToString(), clientId, key, "system/*.read", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task The_store_takes_no_more_than_MaxRegistrations()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync(ct);
        var settings = LaunchFacade.Settings();
        settings["Auth:Issuer:MaxRegistrations"] = "2";
        await using var app = new FacadeApplication(settings, database.ConnectionString).Start();
        using var http = app.CreateRawClient();
        var jwks = AuthIssuerClientKey.Es384().PublicJwks;

        await Registrations.RegisterAsync(http, new { jwks, scopes = "system/*.read" }, ct);
        await Registrations.RegisterAsync(http, new { jwks, scopes = "system/*.read" }, ct);
        var outcome = await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, new { jwks, scopes = "system/*.read" }, ct),
            HttpStatusCode.Conflict, "business-rule");

        Assert.Contains("Auth:Issuer:MaxRegistrations", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }
}
