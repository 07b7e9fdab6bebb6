namespace Integration.Host.Security;

/// <summary>An operator key as listed: everything but its secret, which is never stored.</summary>
internal sealed record OperatorKey(
    string Id,
    string Name,
    string Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
