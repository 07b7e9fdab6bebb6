namespace Integration.Host.Security;

/// <summary><c>Operators:Jwt</c>: bearer tokens from an OIDC issuer; off unless <see cref="Authority"/> is set.</summary>
public sealed class OperatorJwtOptions
{
    /// <summary>The issuer (its <c>/.well-known/openid-configuration</c> gives the signing keys).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience the token must name.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim whose values (space-separated or repeated) hold the scope: <c>read</c>, <c>operate</c> or <c>admin</c>.</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>A prefix the scope values carry at the issuer, e.g. <c>integration.</c> for <c>integration.admin</c>.</summary>
    public string ScopePrefix { get; set; } = "";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}
