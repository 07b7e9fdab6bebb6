using Npgsql;

namespace Integration.Host.Database;

/// <summary>Where the host's PostgreSQL database is: <c>DATABASE_URL</c>, else <c>ConnectionStrings:Integration</c>.</summary>
internal static class DatabaseConnection
{
    public static string Resolve(IConfiguration configuration)
    {
        var url = configuration["DATABASE_URL"];
        var connectionString = !string.IsNullOrWhiteSpace(url)
            ? DatabaseUrl.ToConnectionString(url)
            : configuration.GetConnectionString("Integration");

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database configured: set DATABASE_URL (postgresql://user:password@host:port/database) " +
                "or ConnectionStrings:Integration. scripts/run starts a local one for you.");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName ??= "integration-host";
        return builder.ConnectionString;
    }

    /// <summary>The connection string with its password hidden, for logs.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
