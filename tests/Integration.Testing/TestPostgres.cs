using Npgsql;

namespace Integration.Testing;

/// <summary>
/// The PostgreSQL server that <c>scripts/test</c> starts (<c>INTEGRATION_TEST_DATABASE_URL</c>). Each fixture gets
/// a database of its own, so tests never see each other's rows.
/// </summary>
public static class TestPostgres
{
    public const string ServerVariable = "INTEGRATION_TEST_DATABASE_URL";

    /// <summary>The server URL, e.g. <c>postgresql://postgres@127.0.0.1:5433/postgres</c>.</summary>
    public static string ServerUrl =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests with scripts/test, which starts a throwaway PostgreSQL cluster.");

    /// <summary>Creates an empty database named after <paramref name="purpose"/>.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string purpose)
    {
        var name = $"t_{Sanitize(purpose)}_{Guid.NewGuid():N}"; // at most 59 characters, under PostgreSQL's 63
        var server = new Uri(ServerUrl);
        await using (var connection = new NpgsqlConnection(ConnectionString(server, "postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var url = new UriBuilder(server) { Path = "/" + name }.Uri.ToString();
        return new TestDatabase(name, url, ConnectionString(server, name), ConnectionString(server, "postgres"));
    }

    internal static string ConnectionString(Uri server, string database)
    {
        var user = server.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port > 0 ? server.Port : 5432,
            Database = database,
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "postgres",
            Pooling = true,
        };
        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        return builder.ConnectionString;
    }

    private static string Sanitize(string purpose)
    {
        var chars = purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(24).ToArray();
        return new string(chars);
    }
}
