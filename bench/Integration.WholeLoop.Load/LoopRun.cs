using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Integration.Sandbox;
using Npgsql;

namespace Integration.WholeLoop.Load;

/// <summary>
/// One benchmark run: the sandbox's simulators and demo company, the real host as a child process, warm-up orders
/// (drained before measuring), the measured orders at the fixed rate, then a drain until every measured order is
/// invoiced and its receipt Valid (or the drain time is up), and the database's account of it all.
/// </summary>
public static class LoopRun
{
    public static async Task<LoopReport> RunAsync(LoopOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var key = "loop_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        using var stores = new SandboxStores(options.ShopifyPoints > 0 ? options.ShopifyPoints : 10_000_000);
        stores.StockShelves(DemoCatalogue.Items);
        var settings = new Dictionary<string, string>(stores.HostSettings(), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in options.HostSettings)
        {
            settings[name] = value;
        }

        var sandbox = new SandboxOptions { DatabaseUrl = options.DatabaseUrl, RepoRoot = options.RepoRoot, HostDll = options.HostDll, HostLog = options.HostLog, NoOrders = true };
        await using var host = HostProcess.Start(sandbox, settings, key);
        var started = Stopwatch.StartNew();
        await host.WaitReadyAsync(TimeSpan.FromMinutes(3), options.HostLog, cancellationToken);
        using var api = new HostApi(host.Url, key);
        await new DemoCompany(api, TimeProvider.System).SeedAsync(cancellationToken);
        // The demo shelves hold a few hundred of each item; a run sells tens of thousands of units.
        await api.PostAsync("/api/erp/stock-entries", new
        {
            company = DemoCatalogue.Company,
            purpose = "Receipt",
            postingDate = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            remarks = "Stock for the whole-loop benchmark",
            idempotencyKey = "loop:stock",
            lines = DemoCatalogue.Items.Select(i => new { sku = i.Sku, qty = 1_000_000, rate = i.Cost, warehouse = DemoCatalogue.Warehouse }).ToArray(),
        }, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: host {host.Url} ready and company seeded in {started.Elapsed.TotalSeconds:0.0} s (log {options.HostLog})"));

        var warmupCount = (int)Math.Round(options.Rate * options.Warmup.TotalSeconds);
        var measuredCount = Math.Max(1, (int)Math.Round(options.Rate * options.Duration.TotalSeconds));
        var orders = LoopOrder.Make(warmupCount, measuredCount, stores.Shopify.State, options.Seed, TimeProvider.System);
        var connectionString = ConnectionString(options.DatabaseUrl);
        await using var sampler = new ResourceSampler(connectionString, host.Id);
        await sampler.StartAsync(cancellationToken);
        using var pacer = new WebhookPacer(stores.Shopify, host.Url, options.AlsoPaid, options.Echo);
        using var stopEta = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var etaRounds = ScheduleRoundsAsync(api, "/api/schedules/eta-receipts/everyMinute/run", options.EtaRound, stopEta.Token);
        var reconciliations = options.ReconcileEvery > TimeSpan.Zero
            ? ScheduleRoundsAsync(api, "/api/schedules/shopify-reconcile-orders/every15Minutes/run", options.ReconcileEvery, stopEta.Token)
            : Task.CompletedTask;
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync(cancellationToken);
        var before = await sampler.SampleAsync(db, cancellationToken);

        if (warmupCount > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: warm-up, {warmupCount} orders at {options.Rate:0.#}/s"));
            await pacer.SendAsync([.. orders.Where(o => o.Warmup)], options.Rate, cancellationToken);
            var drained = await WaitAsync(db, sampler, s => s.Invoices >= before.Invoices + pacer.AcknowledgedOrders.Count, options.Drain, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: warm-up {(drained ? "drained" : "NOT drained")}"));
        }

        var statements = await PgStatStatements.ResetAsync(db, cancellationToken);
        var measured = orders.Where(o => !o.Warmup).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: measuring, {measured.Count} orders at {options.Rate:0.#}/s over {options.Duration.TotalSeconds:0} s"));
        using var metrics = new HttpClient();
        var runtimeStart = await HostRuntimeFigures.ReadAsync(metrics, host.Url, cancellationToken);
        var windowStart = await sampler.SampleAsync(db, cancellationToken);
        await pacer.SendAsync(measured, options.Rate, cancellationToken);
        var windowEnd = await sampler.SampleAsync(db, cancellationToken);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loop: sent; {windowEnd.Invoices - windowStart.Invoices} invoiced so far, inbox backlog {windowEnd.InboxBacklog}; draining"));
        var allInvoiced = await WaitAsync(db, sampler, s => s.Invoices >= before.Invoices + pacer.AcknowledgedOrders.Count, options.Drain, cancellationToken);
        var drainEnd = await sampler.SampleAsync(db, cancellationToken);
        var runtimeEnd = await HostRuntimeFigures.ReadAsync(metrics, host.Url, cancellationToken);
        var allValid = allInvoiced && await WaitAsync(db, sampler, s => s.ValidReceipts >= before.ValidReceipts + pacer.AcknowledgedOrders.Count, options.Drain, cancellationToken);
        await stopEta.CancelAsync();
        await Task.WhenAll(etaRounds, reconciliations);
        var topStatements = statements ? await PgStatStatements.TopAsync(db, options.Statements, options.StatementsByCalls, cancellationToken) : [];
        var outcome = await LoopOutcome.ReadAsync(connectionString, cancellationToken);
        return new LoopReport(options, measured, pacer.AcknowledgedOrders, pacer.Refused, outcome, windowStart, windowEnd, drainEnd,
            sampler.Samples, allInvoiced, allValid, topStatements, runtimeStart is null || runtimeEnd is null ? null : runtimeEnd.Minus(runtimeStart));
    }

    /// <summary>Polls the sampler's counts once a second until <paramref name="done"/> or the time is up.</summary>
    private static async Task<bool> WaitAsync(NpgsqlConnection db, ResourceSampler sampler, Func<ResourceSample, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (done(await sampler.SampleAsync(db, cancellationToken)))
            {
                return true;
            }

            if (deadline.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>Fires a schedule (<paramref name="path"/>) every <paramref name="interval"/>, as an operator may.</summary>
    private static async Task ScheduleRoundsAsync(HostApi api, string path, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await api.PostAsync(path, new { }, cancellationToken);
                }
                catch (HttpRequestException)
                {
                    // Busy; the next round asks again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>An Npgsql connection string from <c>postgresql://user[:password]@host:port/database</c>.</summary>
    public static string ConnectionString(string databaseUrl)
    {
        var uri = new Uri(databaseUrl);
        var user = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : "postgres",
            Pooling = false,
        };
        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        return builder.ConnectionString;
    }
}
