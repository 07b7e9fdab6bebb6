using Npgsql;

namespace Integration.Sandbox;

/// <summary>The sandbox's database: dropped and created again on <c>--fresh</c> (the host creates and migrates it otherwise).</summary>
public static class SandboxDatabase
{
    public static async Task RecreateAsync(string databaseUrl, CancellationToken cancellationToken)
    {
        var (maintenance, name) = Parse(databaseUrl);
        await using var connection = new NpgsqlConnection(maintenance);
        await connection.OpenAsync(cancellationToken);
        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The connection string of the server's <c>postgres</c> database, and the sandbox database's name.</summary>
    private static (string Maintenance, string Name) Parse(string databaseUrl)
    {
        if (!Uri.TryCreate(databaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new FormatException("DATABASE_URL must look like postgresql://user:password@host:port/database");
        }

        var name = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (name.Length == 0 || name == "postgres")
        {
            throw new FormatException("--fresh needs a database of the sandbox's own in DATABASE_URL, not the server's postgres database");
        }

        var user = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = "postgres",
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "postgres",
            Pooling = false,
        };
        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        return (builder.ConnectionString, name);
    }
}
