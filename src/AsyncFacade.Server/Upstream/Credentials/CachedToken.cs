namespace AsyncFacade.Server.Upstream.Credentials;

/// <summary>An access token and when to get the next one (before it expires, so no call presents an expired token).</summary>
internal sealed record CachedToken(string Value, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Renew with max(10 s, 10 % of the lifetime) left, but never later than half-way: a 2 s token is used for 1 s,
    /// a 5 min one for 4.5 min, an hour's for 54 min. The margin covers clock skew and a call still in flight.
    /// </summary>
    public static CachedToken Issued(string value, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var margin = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, lifetime.Ticks / 10));
        if (margin > lifetime / 2)
        {
            margin = lifetime / 2;
        }
        return new CachedToken(value, issuedAt + lifetime - margin, issuedAt + lifetime);
    }
}
