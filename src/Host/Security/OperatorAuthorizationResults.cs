using Integration.Designer.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Integration.Host.Security;

/// <summary>
/// How a refusal reads: 401 with <c>WWW-Authenticate</c> and a problem body (a designer page sends the browser to its
/// sign-in page instead), 403 with a problem naming the scope needed.
/// </summary>
internal sealed class OperatorAuthorizationResults(IProblemDetailsService problems, ILogger<OperatorAuthorizationResults> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var presented = context.Request.Headers.Authorization.Count > 0;
            if (!presented && context.GetEndpoint()?.Metadata.GetMetadata<SignInPage>() is { } page && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect(page.Path + "?return=" + Uri.EscapeDataString(context.Request.Path));
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "ApiKey realm=\"integration-host\", Bearer realm=\"integration-host\"";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "operator-unauthorized", presented
                ? "The key or token was refused (unknown, revoked, expired or not valid)."
                : "An operator key or token is required: Authorization: ApiKey <key> (or Bearer <key or token>).");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>()
                .Where(r => r.ClaimType == OperatorScopes.ClaimType).SelectMany(r => r.AllowedValues ?? [])
                .Select(v => OperatorScopes.TryParse(v, out var s) ? s : OperatorScope.Admin).DefaultIfEmpty(OperatorScope.Admin).Max()
                ?? OperatorScope.Admin;
            logger.LogWarning("Operator {Operator} lacks the {Scope} scope for {Method} {Path}",
                context.User.FindFirst(OperatorScopes.KeyIdClaimType)?.Value, OperatorScopes.Name(needed), context.Request.Method, context.Request.Path.Value);
            await WriteAsync(context, StatusCodes.Status403Forbidden, "operator-forbidden",
                $"This needs the '{OperatorScopes.Name(needed)}' scope.");
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private async Task WriteAsync(HttpContext context, int status, string type, string title)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Type = type, Title = title },
        });
    }
}
