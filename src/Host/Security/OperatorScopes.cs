using System.Security.Claims;

namespace Integration.Host.Security;

/// <summary>Scope names as policies and claims: a caller with a scope holds a claim for it and for every scope it includes.</summary>
internal static class OperatorScopes
{
    /// <summary>The claim type holding each scope the caller has.</summary>
    public const string ClaimType = "integration:scope";

    /// <summary>The claim type holding the key id (or <c>config:N</c>, or the token's subject).</summary>
    public const string KeyIdClaimType = "integration:key";

    public const string Read = "read";
    public const string Operate = "operate";
    public const string Admin = "admin";

    public static string Name(OperatorScope scope) => scope switch
    {
        OperatorScope.Read => Read,
        OperatorScope.Operate => Operate,
        _ => Admin,
    };

    public static bool TryParse(string? text, out OperatorScope scope)
    {
        scope = text?.Trim().ToLowerInvariant() switch
        {
            Read => OperatorScope.Read,
            Operate => OperatorScope.Operate,
            Admin => OperatorScope.Admin,
            _ => 0,
        };
        return scope != 0;
    }

    /// <summary>The claims for a scope and all it includes.</summary>
    public static IEnumerable<Claim> ClaimsFor(OperatorScope scope) =>
        Enum.GetValues<OperatorScope>().Where(s => s <= scope).Select(s => new Claim(ClaimType, Name(s)));

    public static ClaimsPrincipal Principal(string keyId, string name, OperatorScope scope, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(KeyIdClaimType, keyId), new Claim(ClaimTypes.Name, name), .. ClaimsFor(scope)],
            authenticationType, ClaimTypes.Name, ClaimTypes.Role));
}
