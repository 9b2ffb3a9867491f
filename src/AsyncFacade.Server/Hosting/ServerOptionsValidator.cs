using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Hosting;

internal sealed class ServerOptionsValidator(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.PublicBaseUrl) && !AbsoluteHttpUrl.IsValid(options.PublicBaseUrl))
        {
            failures.Add($"Server:PublicBaseUrl must be an absolute http(s) URL without query, got '{options.PublicBaseUrl}'.");
        }
        // In-memory jobs live in one process: an API-only node would enqueue work that no worker can see.
        if (options.Role != ServerRole.Both && string.IsNullOrEmpty(configuration.GetConnectionString("Postgres")))
        {
            failures.Add($"Server:Role={options.Role} needs ConnectionStrings:Postgres; without it the only valid role is Both.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
