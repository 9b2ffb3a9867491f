using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Hosting;

internal sealed class ServerOptionsValidator(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var builder = new ValidateOptionsResultBuilder().AbsoluteHttpUrl("Server:PublicBaseUrl", options.PublicBaseUrl);
        // In-memory jobs live in one process: an API-only node would enqueue work that no worker can see.
        if (options.Role != ServerRole.Both && string.IsNullOrEmpty(configuration.GetConnectionString("Postgres")))
        {
            builder.AddError($"Server:Role={options.Role} needs ConnectionStrings:Postgres; without it the only valid role is Both.");
        }
        return builder.Build();
    }
}
