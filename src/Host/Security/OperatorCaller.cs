using System.Security.Claims;

namespace Integration.Host.Security;

/// <summary>Who made an operator request, for the notes and logs of what it changed.</summary>
internal static class OperatorCaller
{
    /// <summary>The operator key's id (<c>config:N</c> for a configured key), or a bearer token's subject.</summary>
    public static string Name(ClaimsPrincipal caller) =>
        caller.FindFirstValue(OperatorScopes.KeyIdClaimType) ?? caller.Identity?.Name ?? "an operator";
}
