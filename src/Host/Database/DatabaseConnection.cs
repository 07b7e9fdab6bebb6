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
        // The host runs the same few hundred statements all day: prepared once per pooled connection, PostgreSQL stops
        // parsing and planning them on every call. Npgsql keeps them when a connection goes back to the pool (it resets
        // the session without DISCARD ALL, advisory locks included). A connection string that sets a number wins.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = configuration.GetValue("Database:MaxAutoPrepare", 100);
        }

        // A pooled connection goes back without the reset Npgsql runs on its next use (seven statements: RESET ALL,
        // pg_advisory_unlock_all() ...), which the loop measured at 19 uses and 133 statements per order. The host keeps no
        // session state: it sets nothing, and its three session advisory locks let go on their own connection, or
        // drop the pool when they cannot. Database:ResetOnClose=true brings the reset back.
        if (!builder.NoResetOnClose)
        {
            builder.NoResetOnClose = !configuration.GetValue("Database:ResetOnClose", false);
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection string with its password hidden, for logs.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
