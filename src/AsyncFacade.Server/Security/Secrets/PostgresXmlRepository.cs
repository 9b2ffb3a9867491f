using System.Xml.Linq;
using AsyncFacade.Server.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// The Data Protection key ring in PostgreSQL, one row per key (or revocation), shared by every node on the database.
/// Reading it checks that every encrypted key was encrypted with this node's KEK: were it not, Data Protection would
/// skip those keys as unusable and quietly make a new one, which the other nodes could not read.
/// </summary>
internal sealed class PostgresXmlRepository(NpgsqlDataSource dataSource, SecretsSchema schema, IOptions<KeyEncryptionOptions> options) : IXmlRepository
{
    private const string Table = SecretsSchema.DataProtectionKeys;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = ReadAll();
        CheckKeyEncryption(elements);
        return elements;
    }

    /// <summary>
    /// Throws when a stored key was encrypted with another KEK. Called before the first Protect/Unprotect too, so a
    /// mismatch stops start-up with one line instead of surfacing through Data Protection's error log with a stack trace.
    /// </summary>
    public void CheckKeyEncryption() => CheckKeyEncryption(ReadAll());

    private List<XElement> ReadAll()
    {
        schema.EnsureCreated();
        var elements = new List<XElement>();
        using (var command = dataSource.CreateCommand($"select xml from {Table} order by id"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }
        }
        return elements;
    }

    private void CheckKeyEncryption(List<XElement> elements)
    {
        var kek = KeyEncryptionKey.TryParse(options.Value.KeyEncryptionKey);
        var foreign = elements.SelectMany(e => e.Descendants(AesGcmXmlEncryptor.ElementName))
            .Select(e => (string?)e.Attribute(AesGcmXmlEncryptor.KekAttribute) ?? "(none)")
            .FirstOrDefault(id => id != kek?.Id);
        if (foreign is not null)
        {
            throw new StartupConfigurationException(WrongKek(foreign, kek));
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        schema.EnsureCreated();
        using var command = dataSource.CreateCommand($"insert into {Table} (friendly_name, xml) values ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }

    /// <summary>The operator's message for a key ring this node cannot decrypt; names the key, never its value.</summary>
    public static string WrongKek(string storedId, KeyEncryptionKey? configured) => configured is null
        ? $"{KeyEncryptionOptions.Key} is not set, but the data protection keys in {Table} are encrypted with key-encryption key {storedId}: " +
          "set the same key on every node."
        : $"The data protection keys in {Table} are encrypted with key-encryption key {storedId}, but {KeyEncryptionOptions.Key} " +
          $"here is key {configured.Id}: every node on one database needs the same key.";
}
