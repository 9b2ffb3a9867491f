using System.Net;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Security.Secrets;

/// <summary>
/// The shared security state over a node's life: a restart with no node left running keeps it, a missing
/// key-encryption key is warned about by name, a wrong one stops start-up; the embedded default keeps its key ring in memory.
/// </summary>
public sealed class SharedSecretsLifecycleTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly AuthIssuerClientKey key = AuthIssuerClientKey.Es384();
    private TestPostgres database = null!;

    public async ValueTask InitializeAsync() => database = await TestPostgres.CreateDatabaseAsync(ct);

    public async ValueTask DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_restart_with_no_node_left_running_keeps_the_issuer_key_the_file_key_and_the_used_jtis_and_sweeps_expired_ones()
    {
        var settings = SharedSecurityNodes.Settings(key, SharedSecurityNodes.NewKeyEncryptionKey(), SharedSecurityNodes.NewStorage());
        await using var before = SharedSecurityNodes.Start(settings, database, new LogRecorder());
        var token = await SharedSecurityNodes.TokenAsync(before, key);
        var assertion = key.Assertion(SharedSecurityNodes.ClientId, SharedSecurityNodes.TokenUrl);
        Assert.Equal(HttpStatusCode.OK, (await SharedSecurityNodes.RequestTokenAsync(before, assertion)).StatusCode);
        var file = await SharedSecurityNodes.ExportedFileAsync(before, token);
        var kid = await SharedSecurityNodes.JwksKidAsync(before);
        // Stopped, not disposed: disposing would delete the output directory the restarted node reads.
        await before.GetRequiredService<IHost>().StopAsync(ct);
        await SharedSecurityNodes.QueryAsync(database,
            "insert into asyncfacade.client_assertion_jtis values ('backend', 'long-expired', now() - interval '1 hour') returning jti");

        var logs = new LogRecorder();
        await using var after = SharedSecurityNodes.Start(settings, database, logs);

        Assert.Equal(kid, await SharedSecurityNodes.JwksKidAsync(after));
        Assert.Equal(HttpStatusCode.OK, (await SharedSecurityNodes.GetAsync(after, "/fhir/Patient?_count=1", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SharedSecurityNodes.GetAsync(after, file)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SharedSecurityNodes.RequestTokenAsync(after, assertion)).StatusCode);
        // That token request swept the expired row and kept the live ones.
        Assert.DoesNotContain("long-expired", await SharedSecurityNodes.QueryAsync(database, "select jti from asyncfacade.client_assertion_jtis"));
        Assert.Equal(2, (await SharedSecurityNodes.QueryAsync(database, "select jti from asyncfacade.client_assertion_jtis")).Count);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId == 8202)); // both secrets read back, none made anew
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 8201);
    }

    [Fact]
    public async Task Without_a_key_encryption_key_the_ring_is_shared_unencrypted_with_one_warning_naming_the_key()
    {
        var logs = new LogRecorder();
        await using (var node = SharedSecurityNodes.Start(SharedSecurityNodes.Settings(key, null, SharedSecurityNodes.NewStorage()), database, logs))
        {
            var warning = Assert.Single(logs.Entries, e => e.EventId == 8203);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains("DataProtection:KeyEncryptionKey", warning.Message);
            Assert.DoesNotContain(logs.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
            Assert.Contains("unencryptedKey", Assert.Single(await SharedSecurityNodes.QueryAsync(database, "select xml from asyncfacade.data_protection_keys")));
        }

        // Setting a key later keeps the ring readable: the old key stays plain, new keys are encrypted.
        var kek = SharedSecurityNodes.NewKeyEncryptionKey();
        await using var upgraded = SharedSecurityNodes.Start(SharedSecurityNodes.Settings(key, kek, SharedSecurityNodes.NewStorage()), database, new LogRecorder());
        Assert.Equal(HttpStatusCode.OK, (await SharedSecurityNodes.RequestTokenAsync(upgraded, key.Assertion(SharedSecurityNodes.ClientId, SharedSecurityNodes.TokenUrl))).StatusCode);
    }

    [Fact]
    public async Task A_node_with_another_key_encryption_key_refuses_to_start_naming_the_key()
    {
        var settings = SharedSecurityNodes.Settings(key, SharedSecurityNodes.NewKeyEncryptionKey(), SharedSecurityNodes.NewStorage());
        await using (SharedSecurityNodes.Start(settings, database, new LogRecorder()))
        {
        }
        var keysBefore = await SharedSecurityNodes.QueryAsync(database, "select id from asyncfacade.data_protection_keys");
        settings["DataProtection:KeyEncryptionKey"] = SharedSecurityNodes.NewKeyEncryptionKey();
        settings["ConnectionStrings:Postgres"] = database.ConnectionString;

        // A real process: its exit code and console are what an operator sees.
        await using var server = ServerProcess.Start(settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!));
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null and not 0, $"The server kept running or exited 0:\n{server.Output}");
        Assert.Contains("DataProtection:KeyEncryptionKey", server.Output);
        Assert.Contains("every node on one database needs the same key", server.Output);
        Assert.DoesNotContain("   at ", server.Output); // a message, not a stack trace
        // It made no key of its own, which the other nodes could not have read.
        Assert.Equal(keysBefore, await SharedSecurityNodes.QueryAsync(database, "select id from asyncfacade.data_protection_keys"));
    }

    [Fact]
    public async Task The_embedded_default_keeps_its_key_ring_in_memory_without_a_data_protection_warning()
    {
        var logs = new LogRecorder();
        await using var node = SharedSecurityNodes.Start(SharedSecurityNodes.Settings(key, null, SharedSecurityNodes.NewStorage()), null, logs);

        Assert.Equal(HttpStatusCode.OK, (await SharedSecurityNodes.RequestTokenAsync(node, key.Assertion(SharedSecurityNodes.ClientId, SharedSecurityNodes.TokenUrl))).StatusCode);
        var lines = logs.Entries.Where(e => e.Category.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, e => e.Message.StartsWith("Creating key", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, e => e.Level >= LogLevel.Warning);
        // The framework's fallback would have named a directory (the user profile) or an ephemeral repository.
        Assert.DoesNotContain(lines, e => e.Message.Contains("key repository", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(logs.Entries, e => e.EventId == 7501); // the issuer still says its key is this process's only
    }
}
