using System.Diagnostics;
using Integration.Testing;
using Npgsql;

namespace Integration.Faults.Tests;

/// <summary>
/// A PostgreSQL cluster of one test's own (<c>scripts/db</c> on a temporary folder), so it can be restarted without
/// touching the server the other test projects share. Crash-safe (fsync on): an immediate restart recovers from WAL.
/// </summary>
internal sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _dir;

    private OwnPostgres(string dir, string serverUrl)
    {
        _dir = dir;
        ServerUrl = serverUrl;
    }

    /// <summary>The cluster's <c>postgres</c> database URL.</summary>
    public string ServerUrl { get; }

    public static async Task<OwnPostgres> StartAsync()
    {
        var dir = Path.Combine("/var/tmp", $"faults-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows())
        {
            // As root, scripts/db runs the server as postgres, who must reach the folder.
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var output = await DbAsync(dir, "start");
        var url = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("export DATABASE_URL=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"scripts/db start said no URL: {output}");
        return new OwnPostgres(dir, url["export DATABASE_URL=".Length..]);
    }

    /// <summary>A database URL on this cluster (the host creates and migrates the database at start).</summary>
    public string DatabaseUrl(string database) => new UriBuilder(ServerUrl) { Path = "/" + database }.Uri.ToString();

    public string ConnectionString(string database)
    {
        var server = new Uri(ServerUrl);
        return new NpgsqlConnectionStringBuilder { Host = server.Host, Port = server.Port, Database = database, Username = "postgres" }.ConnectionString;
    }

    /// <summary>Restarts the server in place: <c>fast</c> (clients cut off, clean shutdown) or <c>immediate</c> (a crash, then recovery).</summary>
    public async Task<TimeSpan> RestartAsync(string mode)
    {
        var took = Stopwatch.StartNew();
        await DbAsync(_dir, "restart", mode);
        return took.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DbAsync(_dir, "stop");
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning: the server's files may belong to the postgres user.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task<string> DbAsync(string dir, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "scripts", "db"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["INTEGRATION_PG_DIR"] = dir;
        start.Environment["INTEGRATION_PG_DATABASE"] = "postgres";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/db {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}
