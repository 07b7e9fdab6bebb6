using System.CommandLine;
using System.Globalization;
using Integration.Host.Database;
using Integration.Host.Security;
using Npgsql;

namespace Integration.Host.Cli;

/// <summary>
/// <c>keys create --name N --scope read|operate|admin [--expires-in 90d]</c> (prints the key once; only its hash is
/// stored), <c>keys list</c> (never a secret) and <c>keys revoke ID</c>: operator API keys in the database.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Who or what the key is for.", Required = true };
        var scope = new Option<string>("--scope") { Description = "read, operate or admin (each includes the ones before it).", Required = true };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Lifetime: 90d, 12h, 30m or a TimeSpan (default: no expiry)." };
        var create = new Command("create", "Create an operator key and print it once.") { name, scope, expiresIn };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction((parse, ct) => CreateAsync(parse.GetValue(name)!, parse.GetValue(scope)!, parse.GetValue(expiresIn), [.. parse.UnmatchedTokens],
            parse.InvocationConfiguration.Output, ct));

        var list = new Command("list", "List operator keys (id, name, scope, dates; never the secret).");
        list.TreatUnmatchedTokensAsErrors = false;
        list.SetAction((parse, ct) => ListAsync([.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, ct));

        var id = new Argument<string>("id") { Description = "The key's id (the part after ih_)." };
        var revoke = new Command("revoke", "Revoke an operator key: refused from now on, sessions opened with it end.") { id };
        revoke.TreatUnmatchedTokensAsErrors = false;
        revoke.SetAction((parse, ct) => RevokeAsync(parse.GetValue(id)!, [.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, ct));

        return new Command("keys", "Operator API keys for /api, /elsa/api and /designer: create, list, revoke.") { create, list, revoke };
    }

    private static async Task<int> CreateAsync(string name, string scopeText, string? expiresInText, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            await output.WriteLineAsync("keys: --name must not be empty.");
            return 1;
        }

        if (!OperatorScopes.TryParse(scopeText, out var scope))
        {
            await output.WriteLineAsync($"keys: --scope must be read, operate or admin (not '{scopeText}').");
            return 1;
        }

        TimeSpan? expiresIn = null;
        if (expiresInText is not null)
        {
            if (!OperatorKeyLifetime.TryParse(expiresInText, out var lifetime))
            {
                await output.WriteLineAsync($"keys: --expires-in must be like {OperatorKeyLifetime.Format} and positive (not '{expiresInText}').");
                return 1;
            }

            expiresIn = lifetime;
        }

        await using var dataSource = await OpenAsync(args, cancellationToken);
        var (key, text) = await new OperatorKeyStore(dataSource, TimeProvider.System).CreateAsync(name.Trim(), scope, expiresIn, cancellationToken);
        await output.WriteLineAsync(text);
        await output.WriteLineAsync($"id {key.Id}, {key.Scope}, {(key.ExpiresAt is { } at ? "expires " + Format(at) : "no expiry")}. "
            + "This is the only time the key is shown: store it now (only its hash is kept).");
        return 0;
    }

    private static async Task<int> ListAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        await using var dataSource = await OpenAsync(args, cancellationToken);
        var keys = await new OperatorKeyStore(dataSource, TimeProvider.System).ListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        await output.WriteLineAsync($"{"id",-12}  {"scope",-7}  {"state",-7}  {"created",-20}  {"expires",-20}  {"last used",-20}  name");
        foreach (var key in keys)
        {
            var state = key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired";
            await output.WriteLineAsync($"{key.Id,-12}  {key.Scope,-7}  {state,-7}  {Format(key.CreatedAt),-20}  {Format(key.ExpiresAt),-20}  {Format(key.LastUsedAt),-20}  {key.Name}");
        }

        await output.WriteLineAsync($"{keys.Count} keys (keys from Operators:ApiKeys are not listed).");
        return 0;
    }

    private static async Task<int> RevokeAsync(string id, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        // Accept the whole key too, so an operator holding only the key can revoke it; only its id part is used.
        var keyId = OperatorKeyText.TryGetId(id, out var parsed) ? parsed : id;
        await using var dataSource = await OpenAsync(args, cancellationToken);
        if (!await new OperatorKeyStore(dataSource, TimeProvider.System).RevokeAsync(keyId, cancellationToken))
        {
            await output.WriteLineAsync($"keys: no key with id '{keyId}'.");
            return 1;
        }

        await output.WriteLineAsync($"Revoked {keyId}.");
        return 0;
    }

    private static async Task<NpgsqlDataSource> OpenAsync(string[] args, CancellationToken cancellationToken)
    {
        var connectionString = DatabaseConnection.Resolve(SecretFiles.Read(args));
        await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(cancellationToken);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static string Format(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
