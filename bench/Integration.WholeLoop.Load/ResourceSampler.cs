using System.Globalization;
using Npgsql;

namespace Integration.WholeLoop.Load;

/// <summary>
/// Once a second: processor time of the host process, of this cluster's PostgreSQL processes and of this driver (the
/// simulators live here), their memory, the database's connections, invoices posted and the inbox backlog; from
/// <c>/proc</c> and the database. Samples are kept so the report can take a window.
/// </summary>
public sealed class ResourceSampler(string connectionString, int hostPid) : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<ResourceSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _postmaster;

    public IReadOnlyList<ResourceSample> Samples { get { lock (_samples) { return [.. _samples]; } } }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        _postmaster = ParentOf(backend);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Takes a sample now (also used at the edges of the measured window).</summary>
    public async Task<ResourceSample> SampleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()),
                   (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()),
                   (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'),
                   (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'),
                   (SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice'),
                   (SELECT count(*) FROM integration.inbox WHERE status IN ('received', 'processing')),
                   (SELECT count(*) FROM eta.receipt WHERE state = 'Valid')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var postgres = PostgresProcesses();
        var sample = new ResourceSample(
            DateTimeOffset.UtcNow,
            CpuSeconds(hostPid),
            postgres.Sum(CpuSeconds),
            Environment.CpuUsage.TotalTime.TotalSeconds,
            MachineBusySeconds(),
            Status(hostPid, "VmRSS:"),
            postgres.Sum(p => Pss(p)),
            Status(Environment.ProcessId, "VmRSS:"),
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.GetInt64(6),
            LoadAverage());
        lock (_samples)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SampleAsync(connection, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private List<int> PostgresProcesses()
    {
        var pids = new List<int> { _postmaster };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && pid != _postmaster && ParentOf(pid) == _postmaster)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>utime + stime of a process in seconds (0 once it is gone).</summary>
    private static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return fields.Length > 14 ? (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond : 0;
    }

    private static int ParentOf(int pid)
    {
        var fields = StatFields(pid);
        return fields.Length > 2 ? int.Parse(fields[1], CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state.</summary>
    private static string[] StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A kB line of /proc/PID/status, in MiB.</summary>
    private static double Status(int pid, string field) => KiloBytes($"/proc/{pid}/status", field) / 1024;

    /// <summary>Proportional set size in MiB: PostgreSQL's shared buffers counted once across its processes.</summary>
    private static double Pss(int pid) => KiloBytes($"/proc/{pid}/smaps_rollup", "Pss:") / 1024;

    private static double KiloBytes(string path, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to read.
        }

        return 0;
    }

    /// <summary>Processor seconds the whole machine spent not idle (every process, other engineers' builds too).</summary>
    private static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        return (cpu.Take(8).Sum() - idle) / TicksPerSecond;
    }

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}

/// <summary>
/// One sample: cumulative processor seconds, memory in MiB, connections (all; running a statement; waiting for a lock;
/// idle in a transaction, i.e. waiting for the host), counts.
/// </summary>
public sealed record ResourceSample(
    DateTimeOffset At, double HostCpu, double PostgresCpu, double DriverCpu, double MachineCpu,
    double HostRssMiB, double PostgresPssMiB, double DriverRssMiB,
    long Connections, long Active, long LockWaits, long IdleInTransaction, long Invoices, long InboxBacklog, long ValidReceipts, double LoadAverage);
