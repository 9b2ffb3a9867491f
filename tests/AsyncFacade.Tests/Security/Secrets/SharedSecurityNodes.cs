using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AsyncFacade.Tests.Callbacks;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncFacade.Tests.Security.Secrets;

/// <summary>
/// Settings and calls for facades that share security state through one PostgreSQL database: auth on, the built-in
/// issuer with one backend client, signed file URLs, a key-encryption key, and one public base URL for every node
/// (a load balancer's), so an assertion's aud fits whichever node receives it.
/// </summary>
public static class SharedSecurityNodes
{
    public const string PublicBaseUrl = "https://facade.test";
    public const string Audience = PublicBaseUrl + "/fhir";
    public const string TokenUrl = PublicBaseUrl + "/auth/token";
    public const string ClientId = "backend";

    public static string NewKeyEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string?> Settings(AuthIssuerClientKey key, string? keyEncryptionKey, string storage) => new()
    {
        ["Storage:LocalPath"] = storage,
        ["Server:PublicBaseUrl"] = PublicBaseUrl,
        ["Auth:Enabled"] = "true",
        ["Auth:Audience"] = Audience,
        ["Auth:SignedFileUrls"] = "true",
        ["Auth:Issuer:Enabled"] = "true",
        ["Auth:Issuer:Clients:0:ClientId"] = ClientId,
        ["Auth:Issuer:Clients:0:Jwks"] = key.PublicJwks,
        ["Auth:Issuer:Clients:0:Scopes"] = "system/*.read",
        ["DataProtection:KeyEncryptionKey"] = keyEncryptionKey,
    };

    public static string NewStorage() => Path.Combine(Path.GetTempPath(), "asyncfacade-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A node on the database, its log lines recorded (Data Protection's and ours from Information up).</summary>
    public static FacadeApplication Start(Dictionary<string, string?> settings, TestPostgres? database, LogRecorder logs)
    {
        var withLogs = new Dictionary<string, string?>(settings)
        {
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Information",
            ["Logging:LogLevel:AsyncFacade.Server.Security"] = "Information",
        };
        return new FacadeApplication(withLogs, database?.ConnectionString, s => s.AddSingleton<ILoggerProvider>(logs)).Start();
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(FacadeApplication node, string assertion)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/*.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        });
        return await node.CreateRawClient().PostAsync("/auth/token", form, TestContext.Current.CancellationToken);
    }

    public static async Task<string> TokenAsync(FacadeApplication node, AuthIssuerClientKey key)
    {
        using var response = await RequestTokenAsync(node, key.Assertion(ClientId, TokenUrl));
        return (await FhirAssert.JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    public static Task<HttpResponseMessage> GetAsync(FacadeApplication node, string pathAndQuery, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return node.CreateRawClient().SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<string> JwksKidAsync(FacadeApplication node)
    {
        using var response = await GetAsync(node, "/.well-known/jwks.json");
        return (await FhirAssert.JsonAsync(response)).GetProperty("keys")[0].GetProperty("kid").GetString()!;
    }

    /// <summary>Exports Patient on the node and returns the manifest's first (signed) file URL as path and query.</summary>
    public static async Task<string> ExportedFileAsync(FacadeApplication node, string token)
    {
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Patient");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        kickOff.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var accepted = await node.CreateRawClient().SendAsync(kickOff, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        var manifest = await Eventually.WaitForAsync(async () =>
        {
            using var response = await GetAsync(node, status, token);
            return response.StatusCode == HttpStatusCode.OK ? await FhirAssert.JsonAsync(response) : default;
        }, m => m.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(30), "the export");
        var url = new Uri(manifest.GetProperty("output")[0].GetProperty("url").GetString()!);
        Assert.Contains("signature=", url.Query);
        return url.PathAndQuery;
    }

    /// <summary>The first column of every row, bytea as hex.</summary>
    public static async Task<List<string>> QueryAsync(TestPostgres database, string sql)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(reader.GetValue(0) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(0).ToString()!);
        }
        return rows;
    }
}
