using Npgsql;

namespace Integration.Testing;

/// <summary>A database of one fixture's own; dropped when disposed.</summary>
public sealed class TestDatabase(string name, string url, string connectionString, string maintenanceConnectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>As <c>DATABASE_URL</c> takes it.</summary>
    public string Url { get; } = url;

    public string ConnectionString { get; } = connectionString;

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(maintenanceConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
