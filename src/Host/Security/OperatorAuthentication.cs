using System.Security.Claims;
using Integration.Designer.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Integration.Host.Security;

/// <summary>
/// Operator authentication and authorization: one policy scheme (<c>Operator</c>) that picks JWT bearer for a
/// three-part bearer token when <c>Operators:Jwt:Authority</c> is set, the designer's session cookie for a
/// <c>/designer</c> request carrying it and no Authorization header (the session opens pages, not APIs), and
/// otherwise API keys; and one policy per scope.
/// </summary>
internal static class OperatorAuthentication
{
    public const string Scheme = "Operator";

    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperatorsOptions>().Bind(configuration.GetSection(OperatorsOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<OperatorsOptions>, OperatorsOptionsRules>();
        services.AddSingleton<OperatorKeyStore>();
        services.AddSingleton<OperatorKeyCheck>();
        services.AddSingleton<IOperatorSignIn>(provider => provider.GetRequiredService<OperatorKeyCheck>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorAuthorizationResults>();
        // The session cookie is sealed with the cluster's key ring, so it survives a move to another host.
        services.AddSharedDataProtection();

        var jwt = configuration.GetSection(OperatorsOptions.Section).GetSection("Jwt").Get<OperatorJwtOptions>() ?? new OperatorJwtOptions();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key, bearer token or designer session", policy => policy.ForwardDefaultSelector = context =>
                jwt.Enabled && OperatorCredentials.IsJwt(context.Request) ? JwtBearerDefaults.AuthenticationScheme
                : context.Request.Headers.Authorization.Count == 0 && context.Request.Path.StartsWithSegments(DesignerSession.Path)
                    && context.Request.Cookies.ContainsKey(DesignerSession.Cookie) ? DesignerSession.Scheme
                : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(DesignerSession.Scheme, cookie =>
            {
                cookie.Cookie.Name = DesignerSession.Cookie;
                cookie.Cookie.Path = DesignerSession.Path;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = DesignerSession.LoginPath;
                // A session lasts only as long as its key: revoked, expired or removed from configuration ends it.
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    var signIn = context.HttpContext.RequestServices.GetRequiredService<IOperatorSignIn>();
                    if (context.Principal is null || !await signIn.IsActiveAsync(context.Principal, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                    }
                };
            });

        if (jwt.Enabled)
        {
            authentication.AddJwtBearer(bearer =>
            {
                bearer.Authority = jwt.Authority;
                bearer.Audience = jwt.Audience;
                bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                bearer.MapInboundClaims = false;
                bearer.Events = new JwtBearerEvents
                {
                    // The issuer's scope claim becomes our scope claims (with the scopes each includes). Claims of our own
                    // types the token carries are dropped first: an issuer passing a user's custom attributes through
                    // must not let a token grant itself a scope.
                    OnTokenValidated = context =>
                    {
                        foreach (var own in context.Principal?.Identities ?? [])
                        {
                            foreach (var claim in own.Claims.Where(c => c.Type is OperatorScopes.ClaimType or OperatorScopes.KeyIdClaimType).ToList())
                            {
                                own.RemoveClaim(claim);
                            }
                        }

                        var granted = (context.Principal?.FindAll(jwt.ScopeClaim) ?? [])
                            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                            .Select(v => v.StartsWith(jwt.ScopePrefix, StringComparison.Ordinal) ? v[jwt.ScopePrefix.Length..] : null)
                            .Select(v => OperatorScopes.TryParse(v, out var scope) ? scope : 0)
                            .DefaultIfEmpty().Max();
                        if (granted != 0 && context.Principal?.Identity is ClaimsIdentity identity)
                        {
                            identity.AddClaims(OperatorScopes.ClaimsFor(granted));
                            identity.AddClaim(new Claim(OperatorScopes.KeyIdClaimType, "jwt:" + (context.Principal.FindFirstValue("sub") ?? "?")));
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorScopes.Read, policy => policy.RequireAuthenticatedUser().RequireClaim(OperatorScopes.ClaimType, OperatorScopes.Read))
            .AddPolicy(OperatorScopes.Operate, policy => policy.RequireAuthenticatedUser().RequireClaim(OperatorScopes.ClaimType, OperatorScopes.Operate))
            .AddPolicy(OperatorScopes.Admin, policy => policy.RequireAuthenticatedUser().RequireClaim(OperatorScopes.ClaimType, OperatorScopes.Admin));
        return services;
    }

    /// <summary>
    /// A group (empty prefix) for operator endpoints: each one needs <c>read</c> if it answers only GET/HEAD, else
    /// <c>operate</c>, unless it names its scope itself (<c>RequireAuthorization("admin")</c>, or <c>"read"</c> for a
    /// query sent as POST, as Elsa Studio lists runs).
    /// </summary>
    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("");
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy is OperatorScopes.Read or OperatorScopes.Operate or OperatorScopes.Admin))
            {
                return;
            }

            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            var readOnly = methods is { Count: > 0 } && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
            endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? OperatorScopes.Read : OperatorScopes.Operate));
        });
        return group;
    }
}
