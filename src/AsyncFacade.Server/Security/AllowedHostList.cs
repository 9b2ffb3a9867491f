using System.Net;

namespace AsyncFacade.Server.Security;

/// <summary>
/// An outbound allow-list (`Callbacks:AllowedHosts`, `Import:AllowedHosts`) compiled once: exact names, "*.domain"
/// suffixes and IP literals.
/// </summary>
internal sealed class AllowedHostList
{
    private readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> suffixes = [];
    private readonly HashSet<IPAddress> addresses = [];

    public AllowedHostList(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            switch (Classify(entry))
            {
                case EntryKind.Name:
                    names.Add(Trim(entry));
                    break;
                case EntryKind.Wildcard:
                    suffixes.Add(Trim(entry)[1..]); // "*.example.org" → ".example.org": sub-domains only, not the apex
                    break;
                case EntryKind.Address:
                    addresses.Add(IPAddress.Parse(Trim(entry)));
                    break;
            }
        }
        IsEmpty = names.Count == 0 && suffixes.Count == 0 && addresses.Count == 0;
    }

    /// <summary>No list configured (what that allows is the caller's rule: callbacks to public hosts, imports nothing).</summary>
    public bool IsEmpty { get; }

    /// <summary>
    /// Whether a host, as a URL or SocketsHttpHandler spells it ("Example.ORG.", "[::1]", "127.0.0.1"), is listed.
    /// IP literals match listed addresses only, never a wildcard.
    /// </summary>
    public bool Contains(string host) => Match(host) != HostMatch.None;

    /// <summary>How a host is listed: by its exact name or address, or only through a "*.domain" wildcard.</summary>
    public HostMatch Match(string host)
    {
        var trimmed = Trim(host);
        return Uri.CheckHostName(trimmed) switch
        {
            UriHostNameType.IPv4 or UriHostNameType.IPv6 when IPAddress.TryParse(trimmed, out var address) && addresses.Contains(address) => HostMatch.Exact,
            UriHostNameType.Dns when names.Contains(trimmed) => HostMatch.Exact,
            UriHostNameType.Dns when suffixes.Exists(s => trimmed.EndsWith(s, StringComparison.OrdinalIgnoreCase)) => HostMatch.Wildcard,
            _ => HostMatch.None,
        };
    }

    /// <summary>What a configured entry is; <see cref="EntryKind.Invalid"/> is reported by the options validator.</summary>
    public static EntryKind Classify(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || !entry.All(char.IsAscii))
        {
            return EntryKind.Invalid;
        }
        var trimmed = Trim(entry);
        if (trimmed.StartsWith("*.", StringComparison.Ordinal))
        {
            return Uri.CheckHostName(trimmed[2..]) == UriHostNameType.Dns ? EntryKind.Wildcard : EntryKind.Invalid;
        }
        return Uri.CheckHostName(trimmed) switch
        {
            UriHostNameType.Dns => EntryKind.Name,
            UriHostNameType.IPv4 or UriHostNameType.IPv6 => EntryKind.Address,
            _ => EntryKind.Invalid,
        };
    }

    // A trailing dot is the same DNS name; brackets are how URLs and SocketsHttpHandler write IPv6 literals.
    private static string Trim(string host) => host.Trim().Trim('[', ']').TrimEnd('.');

    public enum EntryKind
    {
        Invalid,
        Name,
        Wildcard,
        Address,
    }

    public enum HostMatch
    {
        None,
        Exact,
        Wildcard,
    }
}
