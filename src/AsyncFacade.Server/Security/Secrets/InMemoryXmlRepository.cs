using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AsyncFacade.Server.Security.Secrets;

/// <summary>
/// The embedded default's key ring: in process memory only, like every other piece of state in that mode. Without it
/// Data Protection would write unencrypted keys under the user profile (and warn), which nothing here reads back.
/// </summary>
internal sealed class InMemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> elements = [];
    private readonly Lock gate = new();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (gate)
        {
            return [.. elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (gate)
        {
            elements.Add(new XElement(element));
        }
    }
}
