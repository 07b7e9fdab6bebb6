using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Integration.Host.Security;

/// <summary>
/// <c>Authorization: ApiKey &lt;key&gt;</c> (as Elsa Studio sends it) or <c>Bearer &lt;key&gt;</c>: a configured admin key
/// (<c>Operators:ApiKeys</c>) or a key from <c>integration.operator_keys</c>. A refused key is logged by its id only.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorKeyCheck keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (OperatorCredentials.KeyOf(Request) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }

        var principal = await keys.AuthenticateAsync(key, Context.RequestAborted);
        if (principal is null)
        {
            Logger.LogWarning("Operator key {KeyId} refused on {Method} {Path}",
                OperatorKeyText.TryGetId(key, out var id) ? id : "(not a key of ours)", Request.Method, Request.Path.Value);
            return AuthenticateResult.Fail("The operator key is not valid (unknown, revoked or expired).");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
