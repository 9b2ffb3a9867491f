using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Callbacks;
using AsyncFacade.Server.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>Callbacks sent by the real dispatcher to a real HTTP receiver; what happened is read from the logs, never slept on.</summary>
public sealed class CallbackDeliveryTests
{
    private const string SigningKey = "callback-test-key-6f1c2a9e";

    // CallbacksLog event ids.
    private const int Delivered = 6005;
    private const int Rejected = 6006;
    private const int TimedOut = 6007;
    private const int Failed = 6008;
    private const int Refused = 6009;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completed_job_callback_is_a_signed_Parameters_with_status_and_resultUrl()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(signingKey: SigningKey);

        host.Notifier.Notify(new CallbackNotification("job-ok", receiver.UrlFor(200), "completed", "https://facade.example/fhir/_async/job-ok", null));

        var callback = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("POST", callback.Method);
        Assert.Equal("/status/200", callback.Path);
        Assert.StartsWith("application/fhir+json", callback.Header("Content-Type"));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), callback.Body));
        Assert.Equal(expected, callback.Header("X-Signature"));

        var parameters = JsonSerializer.Deserialize<Parameters>(callback.Body, FhirJson.Options)!;
        Assert.Equal(["status", "resultUrl"], parameters.Parameter.Select(p => p.Name));
        Assert.Equal("completed", Assert.IsType<Code>(parameters.Parameter.Single(p => p.Name == "status").Value).Value);
        Assert.Equal("https://facade.example/fhir/_async/job-ok", Assert.IsType<FhirUrl>(parameters.Parameter.Single(p => p.Name == "resultUrl").Value).Value);
        Assert.Equal("completed", callback.Parameter("status").GetProperty("valueCode").GetString());
        Assert.Equal("https://facade.example/fhir/_async/job-ok", callback.Parameter("resultUrl").GetProperty("valueUrl").GetString());
    }

    [Fact]
    public async Task Failed_job_callback_carries_the_OperationOutcome_as_the_outcome_parameter()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(signingKey: SigningKey);
        var outcome = FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Transient, "upstream busy"));

        host.Notifier.Notify(new CallbackNotification("job-failed", receiver.UrlFor(204), "failed", "https://facade.example/fhir/_async/job-failed", outcome));

        var callback = Assert.Single(await receiver.WaitForAsync(1));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), callback.Body));
        Assert.Equal(expected, callback.Header("X-Signature"));
        Assert.Equal("failed", callback.Parameter("status").GetProperty("valueCode").GetString());
        Assert.Equal("https://facade.example/fhir/_async/job-failed", callback.Parameter("resultUrl").GetProperty("valueUrl").GetString());
        var resource = callback.Parameter("outcome").GetProperty("resource");
        Assert.Equal("OperationOutcome", resource.GetProperty("resourceType").GetString());
        Assert.Equal("transient", resource.GetProperty("issue")[0].GetProperty("code").GetString());
        Assert.Equal("upstream busy", resource.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
    }

    [Fact]
    public async Task Without_a_signing_key_the_callback_has_no_signature_header()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(signingKey: "");

        host.Notifier.Notify(new CallbackNotification("job-cancelled", receiver.UrlFor(202), "cancelled", "https://facade.example/fhir/_async/job-cancelled", null));

        var callback = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Null(callback.Header("X-Signature"));
        Assert.Equal("cancelled", callback.Parameter("status").GetProperty("valueCode").GetString());
        Assert.Equal(2, callback.Json.GetProperty("parameter").GetArrayLength());
    }

    [Fact]
    public async Task Delivery_is_logged_with_job_and_host_but_never_the_key_the_path_or_the_body()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(signingKey: SigningKey);

        host.Notifier.Notify(new CallbackNotification("job-logged", receiver.UrlFor(200) + "?token=secret-in-query", "completed", "https://facade.example/r", null));

        var delivered = await host.Logs.WaitForAsync(Delivered, "job-logged");
        Assert.Equal($"127.0.0.1:{receiver.Port}", delivered["CallbackHost"]);
        Assert.Equal(200, delivered["StatusCode"]);
        var sending = Assert.Single(host.Logs.Entries, e => e.EventId == 6004);
        Assert.Equal("job-logged", sending["JobId"]);
        foreach (var entry in host.Logs.Entries)
        {
            Assert.DoesNotContain(SigningKey, entry.Message);
            Assert.DoesNotContain("secret-in-query", entry.Message);
            Assert.DoesNotContain("/status/200", entry.Message); // a path can carry a client's token as well
            Assert.DoesNotContain("resourceType", entry.Message);
        }
    }

    [Fact]
    public async Task Receiver_answering_500_is_logged_and_dropped_and_later_callbacks_still_arrive()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync();

        host.Notifier.Notify(new CallbackNotification("job-500", receiver.UrlFor(500), "completed", "https://facade.example/r/500", null));
        var rejected = await host.Logs.WaitForAsync(Rejected, "job-500");
        host.Notifier.Notify(new CallbackNotification("job-after-500", receiver.UrlFor(204), "completed", "https://facade.example/r/after", null));
        await host.Logs.WaitForAsync(Delivered, "job-after-500");

        Assert.Equal(500, rejected["StatusCode"]);
        Assert.Equal(["/status/500", "/status/204"], receiver.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task Receivers_stalling_past_the_timeout_are_dropped_and_free_their_slots_for_later_callbacks()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(timeoutSeconds: 1);

        // More stalls than the dispatcher sends at once: the last callback can only go out once a stall has timed out.
        for (var i = 0; i < 5; i++)
        {
            host.Notifier.Notify(new CallbackNotification($"job-stall-{i}", receiver.StallingUrl, "completed", "https://facade.example/r/stall", null));
        }
        host.Notifier.Notify(new CallbackNotification("job-after-stall", receiver.UrlFor(200), "completed", "https://facade.example/r/after", null));

        await host.Logs.WaitForAsync(Delivered, "job-after-stall");
        for (var i = 0; i < 5; i++)
        {
            var timedOut = await host.Logs.WaitForAsync(TimedOut, $"job-stall-{i}");
            Assert.Equal(1, timedOut["TimeoutSeconds"]);
        }
        Assert.Equal(5, receiver.Received.Count(r => r.Path == "/stall")); // one attempt each: no retries
    }

    [Fact]
    public async Task Unreachable_receiver_is_logged_and_dropped_and_later_callbacks_still_arrive()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync();
        var closedPort = ClosedPort();

        host.Notifier.Notify(new CallbackNotification("job-unreachable", $"http://127.0.0.1:{closedPort}/cb", "completed", "https://facade.example/r", null));
        await host.Logs.WaitForAsync(Failed, "job-unreachable");
        host.Notifier.Notify(new CallbackNotification("job-reachable", receiver.UrlFor(200), "completed", "https://facade.example/r", null));

        await receiver.WaitForAsync(1);
        await host.Logs.WaitForAsync(Delivered, "job-reachable");
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync();

        host.Notifier.Notify(new CallbackNotification("job-redirect", receiver.RedirectingUrl, "completed", "https://facade.example/r", null));

        var rejected = await host.Logs.WaitForAsync(Rejected, "job-redirect");
        Assert.Equal(307, rejected["StatusCode"]);
        Assert.Equal(["/redirect"], receiver.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task Host_missing_from_the_allow_list_is_refused_when_sending_even_if_it_was_queued()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(allowedHosts: ["localhost"]);

        host.Notifier.Notify(new CallbackNotification("job-unlisted", receiver.UrlFor(200), "completed", "https://facade.example/r", null));
        var refused = await host.Logs.WaitForAsync(Refused, "job-unlisted");
        host.Notifier.Notify(new CallbackNotification("job-listed", $"http://localhost:{receiver.Port}/status/200", "completed", "https://facade.example/r", null));
        await host.Logs.WaitForAsync(Delivered, "job-listed");

        Assert.Contains("allow-list", (string)refused["Reason"]!);
        Assert.Equal(["/status/200"], receiver.Received.Select(r => r.Path)); // only the listed one
    }

    [Fact]
    public async Task Without_an_allow_list_a_name_or_literal_that_connects_to_loopback_is_refused_when_sending()
    {
        // The kick-off check would refuse these too; this is the send-time re-check that defeats DNS rebinding
        // (a name that resolved publicly at kick-off and to 127.0.0.1 now).
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(allowedHosts: []);

        host.Notifier.Notify(new CallbackNotification("job-by-name", $"http://localhost:{receiver.Port}/status/200", "completed", "https://facade.example/r", null));
        host.Notifier.Notify(new CallbackNotification("job-by-literal", receiver.UrlFor(200), "completed", "https://facade.example/r", null));

        var byName = await host.Logs.WaitForAsync(Refused, "job-by-name");
        var byLiteral = await host.Logs.WaitForAsync(Refused, "job-by-literal");
        Assert.Contains("non-public", (string)byName["Reason"]!);
        Assert.Contains("non-public", (string)byLiteral["Reason"]!);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_burst_of_100_notifications_all_arrive()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(signingKey: SigningKey);

        for (var i = 0; i < 100; i++)
        {
            host.Notifier.Notify(new CallbackNotification($"job-burst-{i}", receiver.UrlFor(204), "completed", $"https://facade.example/r/{i}", null));
        }

        var received = await receiver.WaitForAsync(100);
        Assert.Equal(100, received.Count);
        Assert.Equal(
            Enumerable.Range(0, 100).Select(i => $"https://facade.example/r/{i}").Order(),
            received.Select(r => r.Parameter("resultUrl").GetProperty("valueUrl").GetString()).Order());
    }

    [Fact]
    public async Task Unreadable_outcome_still_sends_the_callback_without_it()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync();

        host.Notifier.Notify(new CallbackNotification("job-bad-outcome", receiver.UrlFor(200), "failed", "https://facade.example/r", "{not json"));

        var callback = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("failed", callback.Parameter("status").GetProperty("valueCode").GetString());
        Assert.DoesNotContain(callback.Json.GetProperty("parameter").EnumerateArray(), p => p.GetProperty("name").GetString() == "outcome");
        await host.Logs.WaitForAsync(6010, "job-bad-outcome");
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("running")]
    [InlineData("Completed")]
    public async Task Notify_rejects_a_status_the_callback_extension_does_not_define(string status)
    {
        await using var host = await StartHostAsync();

        Assert.Throws<ArgumentException>(() =>
            host.Notifier.Notify(new CallbackNotification("job-x", "https://client.example/cb", status, "https://facade.example/r", null)));
    }

    [Fact]
    public async Task Callbacks_still_queued_at_shutdown_are_dropped_and_counted()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(timeoutSeconds: 60);
        for (var i = 0; i < 10; i++)
        {
            host.Notifier.Notify(new CallbackNotification($"job-pending-{i}", receiver.StallingUrl, "completed", "https://facade.example/r", null));
        }
        await receiver.WaitForAsync(4); // the dispatcher's slots are all held by stalling receivers

        await host.StopAsync(Token);

        var dropped = Assert.Single(host.Logs.Entries, e => e.EventId == 6012);
        Assert.Equal(10, dropped["Count"]);
    }

    [Fact]
    public async Task Full_queue_drops_the_oldest_callback_with_a_warning_and_Notify_does_not_block()
    {
        await using var receiver = await CallbackReceiver.StartAsync(Token);
        await using var host = await StartHostAsync(timeoutSeconds: 60);
        for (var i = 0; i < 4; i++)
        {
            host.Notifier.Notify(new CallbackNotification($"job-in-flight-{i}", receiver.StallingUrl, "completed", "https://facade.example/r", null));
        }
        await receiver.WaitForAsync(4); // every send slot is held, so nothing more leaves the queue

        for (var i = 0; i <= CallbackNotifier.Capacity; i++)
        {
            host.Notifier.Notify(new CallbackNotification($"job-queued-{i}", receiver.StallingUrl, "completed", "https://facade.example/r", null));
        }

        var dropped = Assert.Single(host.Logs.Entries, e => e.EventId == 6002);
        Assert.Equal(LogLevel.Warning, dropped.Level);
        Assert.Equal("job-queued-0", dropped["JobId"]);
    }

    private static Task<CallbacksHost> StartHostAsync(string[]? allowedHosts = null, string? signingKey = null, int? timeoutSeconds = null)
    {
        var settings = new Dictionary<string, string?>();
        var hosts = allowedHosts ?? ["127.0.0.1"];
        for (var i = 0; i < hosts.Length; i++)
        {
            settings[$"Callbacks:AllowedHosts:{i}"] = hosts[i];
        }
        if (signingKey is not null)
        {
            settings["Callbacks:SigningKey"] = signingKey;
        }
        if (timeoutSeconds is { } seconds)
        {
            settings["Callbacks:TimeoutSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return CallbacksHost.StartAsync(settings, Token);
    }

    /// <summary>A loopback port nothing listens on: bound, read, released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
