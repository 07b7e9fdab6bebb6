using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Dapper;
using Integration.Sandbox;
using Integration.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// The loop as it runs in production: real host processes (<c>dotnet Integration.Host.dll serve</c>) on one database,
/// the simulated Shopify and WooCommerce stores and ETA portal of the sandbox, its demo company, and orders placed in
/// the stores and delivered by their signed webhooks. Disposing stops the hosts (a killed one is already gone).
/// </summary>
internal sealed class ProcessLoop : IAsyncDisposable
{
    private readonly List<(HostProcess Host, string Log)> _hosts = [];
    private readonly ITestOutputHelper _log;
    private readonly string _databaseUrl;

    private ProcessLoop(string databaseUrl, string connectionString, ITestOutputHelper log)
    {
        _databaseUrl = databaseUrl;
        ConnectionString = connectionString;
        _log = log;
    }

    public SandboxStores Stores { get; } = new();

    public string ConnectionString { get; }

    public string OperatorKey { get; } = "flt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The host started first (it migrated the database and seeded the company).</summary>
    public HostProcess First => _hosts[0].Host;

    /// <summary>Starts the stores and the first host, seeds the demo company through it.</summary>
    public static async Task<ProcessLoop> StartAsync(string databaseUrl, string connectionString, ITestOutputHelper log, CancellationToken cancellationToken)
    {
        var loop = new ProcessLoop(databaseUrl, connectionString, log);
        try
        {
            loop.Stores.StockShelves(DemoCatalogue.Items);
            var first = await loop.StartHostAsync(cancellationToken);
            using var api = new HostApi(first.Url, loop.OperatorKey);
            await new DemoCompany(api, TimeProvider.System).SeedAsync(cancellationToken);
            return loop;
        }
        catch
        {
            await loop.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more host on the same database and stores, waits until it is ready and subscribes it to the WooCommerce webhooks.</summary>
    public async Task<HostProcess> StartHostAsync(CancellationToken cancellationToken)
    {
        var log = Path.Combine(Path.GetTempPath(), $"faults-host-{Guid.NewGuid():N}.log");
        var options = new SandboxOptions { DatabaseUrl = _databaseUrl, RepoRoot = RepoPaths.Root, HostDll = HostDll(), HostLog = log };
        var settings = Stores.HostSettings().Append(new("Flows:Leases:Ttl", "00:00:10"));
        var host = HostProcess.Start(options, settings, OperatorKey);
        _hosts.Add((host, log));
        var started = Stopwatch.StartNew();
        await host.WaitReadyAsync(TimeSpan.FromMinutes(3), log, cancellationToken);
        _log.WriteLine($"host {host.Id} ready on {host.Url} in {started.Elapsed.TotalSeconds:0.0} s (log {log})");
        Stores.SubscribeWooWebhooks(host.Url);
        return host;
    }

    /// <summary>An operator's client of a host (the operator key set).</summary>
    public HttpClient Api(HostProcess host)
    {
        var http = new HttpClient { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", OperatorKey);
        return http;
    }

    /// <summary>Fires a flow's schedule now on a host (as an operator may); a host busy or restarting is tried again by the caller's loop.</summary>
    public static async Task FireAsync(HttpClient api, string schedule)
    {
        try
        {
            using var response = await api.PostAsync($"/api/schedules/{schedule}/run", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        }
        catch (HttpRequestException)
        {
            // The next round fires it again.
        }
    }

    /// <summary>
    /// ETA rounds on <paramref name="api"/>'s host until every order is invoiced and its receipt decided; returns how
    /// many are still open when <paramref name="timeout"/> runs out (the checker then says which and why).
    /// </summary>
    public async Task<long> SettleAsync(HttpClient api, IReadOnlyCollection<StoreOrder> orders, TimeSpan timeout)
    {
        var keys = orders.Select(o => $"{o.System}/{o.Store}/{o.Id}").ToArray();
        var deadline = Stopwatch.StartNew();
        long open;
        do
        {
            await FireAsync(api, "eta-receipts/everyMinute");
            await Task.Delay(1000);
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            var settled = await connection.ExecuteScalarAsync<long>("""
                SELECT count(*) FROM erp.sales_document d
                WHERE d.doc_type = 'Sales Invoice' AND d.source_system || '/' || d.source_store || '/' || d.source_id = ANY(@keys)
                  AND EXISTS (SELECT 1 FROM eta.receipt r WHERE r.document_id = d.id AND r.state IN ('Valid', 'Invalid'))
                """, new { keys });
            open = keys.Length - settled;
        }
        while (open > 0 && deadline.Elapsed < timeout);

        return open;
    }

    public static StoreOrder Order(DemoOrder order) => new(order.System, order.Store, order.Id,
        order.Lines.GroupBy(l => l.Item.Sku).ToDictionary(g => g.Key, g => (decimal)g.Sum(l => l.Qty)));

    /// <summary>How many lines of a host's log contain <paramref name="part"/> (e.g. the deliveries it dispatched).</summary>
    public int LinesInLog(HostProcess host, string part)
    {
        var log = _hosts.Single(h => h.Host == host).Log;
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            count += line.Contains(part, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The last lines of every host's log, for a failure message.</summary>
    public string LogTails() => string.Join("\n", _hosts.Select(h =>
        $"--- host log {h.Log}\n" + (File.Exists(h.Log) ? string.Join('\n', File.ReadLines(h.Log).TakeLast(30)) : "(none)")));

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, _) in _hosts)
        {
            await host.DisposeAsync();
        }

        Stores.Dispose();
    }

    /// <summary>The host binary the build put beside the tests, with its runtimeconfig.</summary>
    private static string HostDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Integration.Host.dll");
        return File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
            ? dll
            : throw new FileNotFoundException("Integration.Host.dll with its runtimeconfig not found beside the tests", dll);
    }
}
