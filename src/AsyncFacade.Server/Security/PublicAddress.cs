using System.Net;
using System.Net.Sockets;

namespace AsyncFacade.Server.Security;

/// <summary>
/// Whether an address is on the public internet. Outbound requests a client chooses (callbacks without an allow-list,
/// imports from wildcard-listed hosts) may only go there, so a client cannot make the facade reach into the operator's
/// network (SSRF): loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, reserved and
/// documentation ranges are refused, also when hidden in IPv6 forms.
/// </summary>
internal static class PublicAddress
{
    // IANA IPv4 special-purpose registry (RFC 6890 and successors), as (network, prefix length).
    private static readonly (uint Network, int Prefix)[] NonPublicIPv4 =
    [
        (0x00000000, 8),  // 0.0.0.0/8 "this network", includes the unspecified address
        (0x0A000000, 8),  // 10.0.0.0/8 private
        (0x64400000, 10), // 100.64.0.0/10 carrier-grade NAT
        (0x7F000000, 8),  // 127.0.0.0/8 loopback
        (0xA9FE0000, 16), // 169.254.0.0/16 link-local, cloud metadata endpoints
        (0xAC100000, 12), // 172.16.0.0/12 private
        (0xC0000000, 24), // 192.0.0.0/24 IETF protocol assignments
        (0xC0000200, 24), // 192.0.2.0/24 documentation
        (0xC0A80000, 16), // 192.168.0.0/16 private
        (0xC6120000, 15), // 198.18.0.0/15 benchmarking
        (0xC6336400, 24), // 198.51.100.0/24 documentation
        (0xCB007100, 24), // 203.0.113.0/24 documentation
        (0xE0000000, 4),  // 224.0.0.0/4 multicast
        (0xF0000000, 4),  // 240.0.0.0/4 reserved, includes broadcast
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicIPv4(address);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicIPv4(address.MapToIPv4());
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        // 64:ff9b::/96 (NAT64) reaches the IPv4 address in its last 32 bits.
        if (bytes[..12].SequenceEqual(Nat64Prefix))
        {
            return IsPublicIPv4(new IPAddress(bytes[12..]));
        }
        // ::/96 holds ::, ::1 and the deprecated IPv4-compatible forms; none of them is a public destination.
        if (bytes[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }
        // Only global unicast (2000::/3) is public: this excludes fc00::/7 unique-local, fe80::/10 link-local,
        // fec0::/10 site-local, ff00::/8 multicast and 100::/64 discard.
        if ((bytes[0] & 0xE0) != 0x20)
        {
            return false;
        }
        return (bytes[0], bytes[1], bytes[2], bytes[3]) switch
        {
            (0x20, 0x01, 0x0D, 0xB8) => false,      // 2001:db8::/32 documentation
            (0x20, 0x01, 0x00, 0x00) => false,      // 2001::/32 Teredo tunnels to an obfuscated IPv4 address
            (0x20, 0x02, _, _) => IsPublicIPv4(new IPAddress(bytes[2..6])), // 2002::/16 6to4 embeds an IPv4 address
            _ => true,
        };
    }

    private static ReadOnlySpan<byte> Nat64Prefix => [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0];

    private static bool IsPublicIPv4(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        foreach (var (network, prefix) in NonPublicIPv4)
        {
            var mask = uint.MaxValue << (32 - prefix);
            if ((value & mask) == network)
            {
                return false;
            }
        }
        return true;
    }
}
