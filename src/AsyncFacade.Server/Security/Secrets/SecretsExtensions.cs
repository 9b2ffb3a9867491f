using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using AsyncFacade.Server.Security.Issuer;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// Security state that must hold across nodes: ASP.NET Core Data Protection's key ring, the secrets it protects (the
/// issuer's signing key, the file-URL key), the jti replay cache and the issuer's run-time client registrations. In PostgreSQL when ConnectionStrings:Postgres is
/// set, else in process memory like the rest of the embedded default.
/// </summary>
internal static class SecretsExtensions
{
    /// <summary>Every node must use the same name: it is part of every protector's purpose, so different names share nothing.</summary>
    public const string ApplicationName = "AsyncFacade";

    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<KeyEncryptionOptions, KeyEncryptionOptionsValidator>().BindConfiguration(KeyEncryptionOptions.Section);
        services.AddDataProtection().SetApplicationName(ApplicationName);

        if (string.IsNullOrEmpty(builder.Configuration.GetConnectionString("Postgres")))
        {
            // Nothing leaves the process, so there is nothing at rest to encrypt: the null encryptor says so explicitly
            // (made without a service provider, it does not log) instead of the framework warning about a missing one.
            var keyRing = new InMemoryXmlRepository();
            services.Configure<KeyManagementOptions>(o => (o.XmlRepository, o.XmlEncryptor) = (keyRing, new NullXmlEncryptor()));
            // Secrets and the jti cache stay per process: AddAuth and AddAuthIssuer register those defaults themselves.
            return builder;
        }

        services.AddSingleton<SecretsSchema>();
        services.AddSingleton<PostgresXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<PostgresXmlRepository, IOptions<KeyEncryptionOptions>, ILogger<PostgresXmlRepository>>(
            (o, repository, kek, logger) =>
            {
                o.XmlRepository = repository;
                if (KeyEncryptionKey.TryParse(kek.Value.KeyEncryptionKey) is { } key)
                {
                    o.XmlEncryptor = new AesGcmXmlEncryptor(key);
                }
                else
                {
                    // Still shared, so nodes agree; our warning names the key to set, where the framework's would not.
                    o.XmlEncryptor = new NullXmlEncryptor();
                    SecretsLog.KeyRingUnencrypted(logger, SecretsSchema.DataProtectionKeys);
                }
            });
        // Replace, not TryAdd: these win over the per-process defaults whichever extension runs first.
        services.Replace(ServiceDescriptor.Singleton<ISharedSecrets, PostgresSecrets>());
        services.Replace(ServiceDescriptor.Singleton<IClientAssertionReplayCache, PostgresReplayCache>());
        services.Replace(ServiceDescriptor.Singleton<IClientRegistrationStore, PostgresClientRegistrations>());
        return builder;
    }
}
