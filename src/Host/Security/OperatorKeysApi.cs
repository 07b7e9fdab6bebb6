using System.Security.Claims;

namespace Integration.Host.Security;

/// <summary>
/// <c>/api/operator-keys</c> (admin scope only): list keys (never a secret), create one (its text is in that answer
/// and nowhere else, ever) and revoke one. The same store as the <c>keys</c> CLI verbs.
/// </summary>
internal static class OperatorKeysApi
{
    private const string ProblemBase = "https://integration-host/problems/";

    public static RouteGroupBuilder MapOperatorKeysApi(this RouteGroupBuilder operators)
    {
        var keys = operators.MapGroup("/api/operator-keys").WithTags("Operator keys").RequireAuthorization(OperatorScopes.Admin);

        keys.MapGet("/", async (OperatorKeyStore store, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return Results.Ok((await store.ListAsync(ct)).Select(k => View(k, now)));
        }).WithName("ListOperatorKeys").WithSummary("Stored operator keys with scope, state and dates (keys from Operators:ApiKeys are not listed).");

        keys.MapPost("/", async (OperatorKeyStore store, TimeProvider time, ClaimsPrincipal caller, ILoggerFactory loggers, CreateOperatorKeyRequest request, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
            {
                return Invalid("name", "name is required (at most 200 characters): who or what the key is for.");
            }

            if (!OperatorScopes.TryParse(request.Scope, out var scope))
            {
                return Invalid("scope", $"scope must be read, operate or admin (not '{request.Scope}').");
            }

            TimeSpan? expiresIn = null;
            if (request.ExpiresIn is { } text)
            {
                if (!OperatorKeyLifetime.TryParse(text, out var lifetime))
                {
                    return Invalid("expiresIn", $"expiresIn must be like {OperatorKeyLifetime.Format} and positive (not '{text}').");
                }

                expiresIn = lifetime;
            }

            var (key, secret) = await store.CreateAsync(request.Name.Trim(), scope, expiresIn, ct);
            loggers.CreateLogger(typeof(OperatorKeysApi)).LogInformation("Operator key {KeyId} ({Scope}) created by {Caller}", key.Id, key.Scope, caller.FindFirstValue(OperatorScopes.KeyIdClaimType));
            return Results.Created($"/api/operator-keys/{key.Id}", new
            {
                key.Id, key.Name, key.Scope, key.CreatedAt, key.ExpiresAt,
                key = secret,
                note = "This is the only time the key is shown: store it now (only its hash is kept).",
            });
        }).WithName("CreateOperatorKey").WithSummary("Creates an operator key; the answer holds the key itself, shown this once only.");

        keys.MapPost("/{id}/revoke", async (OperatorKeyStore store, TimeProvider time, ClaimsPrincipal caller, ILoggerFactory loggers, string id, CancellationToken ct) =>
        {
            // The whole key is accepted too; only its id part is used (as the CLI does).
            var keyId = OperatorKeyText.TryGetId(id, out var parsed) ? parsed : id;
            if (!await store.RevokeAsync(keyId, ct))
            {
                return Results.Problem($"No operator key with id '{keyId}'.", statusCode: StatusCodes.Status404NotFound, title: "not-found", type: ProblemBase + "not-found");
            }

            loggers.CreateLogger(typeof(OperatorKeysApi)).LogInformation("Operator key {KeyId} revoked by {Caller}", keyId, caller.FindFirstValue(OperatorScopes.KeyIdClaimType));
            var now = time.GetUtcNow();
            return Results.Ok((await store.ListAsync(ct)).Where(k => k.Id == keyId).Select(k => View(k, now)).Single());
        }).WithName("RevokeOperatorKey").WithSummary("Revokes a key: refused from now on, and designer sessions opened with it end.");

        return operators;
    }

    private static object View(OperatorKey key, DateTimeOffset now) => new
    {
        key.Id, key.Name, key.Scope,
        state = key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired",
        key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.LastUsedAt,
    };

    private static IResult Invalid(string field, string message) =>
        Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "invalid-operator-key", type: ProblemBase + "invalid-operator-key",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
