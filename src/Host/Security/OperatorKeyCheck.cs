using System.Security.Claims;
using System.Security.Cryptography;
using Integration.Designer.Access;
using Microsoft.Extensions.Options;

namespace Integration.Host.Security;

/// <summary>
/// Checks a key against the configured admin keys (SHA-256 compared in constant time, each one) and the stored keys;
/// the designer's sign-in and its session use it too.
/// </summary>
internal sealed class OperatorKeyCheck(IOptionsMonitor<OperatorsOptions> options, IServiceProvider services) : IOperatorSignIn
{
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var hash = OperatorKeyText.Hash(key);
        string? configured = null;
        foreach (var candidate in ConfiguredHashes())
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                configured = ConfiguredId(candidate);
            }
        }

        if (configured is not null)
        {
            return OperatorScopes.Principal(configured, "configured key", OperatorScope.Admin, ApiKeyAuthenticationHandler.SchemeName);
        }

        var stored = await services.GetRequiredService<OperatorKeyStore>().CheckAsync(key, cancellationToken);
        return stored is not null && OperatorScopes.TryParse(stored.Scope, out var scope)
            ? OperatorScopes.Principal(stored.Id, stored.Name, scope, ApiKeyAuthenticationHandler.SchemeName)
            : null;
    }

    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var id = principal.FindFirstValue(OperatorScopes.KeyIdClaimType);
        return id is not null && (id.StartsWith("config:", StringComparison.Ordinal)
            ? ConfiguredHashes().Any(hash => ConfiguredId(hash) == id)
            : await services.GetRequiredService<OperatorKeyStore>().IsActiveAsync(id, cancellationToken));
    }

    private IEnumerable<byte[]> ConfiguredHashes() =>
        options.CurrentValue.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(OperatorKeyText.Hash);

    /// <summary>A configured key's id: a short prefix of its hash, stable when the list is reordered.</summary>
    private static string ConfiguredId(byte[] hash) => "config:" + Convert.ToHexStringLower(hash)[..8];
}
