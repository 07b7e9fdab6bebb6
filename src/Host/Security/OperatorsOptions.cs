namespace Integration.Host.Security;

/// <summary>
/// <c>Operators</c>: who may call <c>/api</c>, <c>/elsa/api</c> and <c>/designer</c> besides the keys in the database:
/// configured admin keys (secrets: from the environment, <c>Operators__ApiKeys__0</c>) and, optionally, JWTs from an
/// OIDC issuer.
/// </summary>
public sealed class OperatorsOptions
{
    public const string Section = "Operators";

    /// <summary>Admin keys, any text (at least 16 characters); sent as <c>Authorization: ApiKey &lt;key&gt;</c> or <c>Bearer &lt;key&gt;</c>.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Whether <c>/health</c> (the detailed report) and <c>/metrics</c> need the read scope (default false: open for probes and scrapers).</summary>
    public bool ProtectHealthAndMetrics { get; set; }

    public OperatorJwtOptions Jwt { get; set; } = new();
}
