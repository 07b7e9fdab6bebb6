using System.Security.Claims;

namespace Integration.Designer.Access;

/// <summary>The host's operator keys, as the designer's sign-in needs them: check a key, and re-check a session's key.</summary>
public interface IOperatorSignIn
{
    /// <summary>The operator a key belongs to, or null if it is unknown, revoked or expired.</summary>
    Task<ClaimsPrincipal?> AuthenticateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Whether the key a signed-in session was opened with is still valid.</summary>
    Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken);
}
