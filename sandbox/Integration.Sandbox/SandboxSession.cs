using System.Diagnostics;
using System.Security.Cryptography;

namespace Integration.Sandbox;

/// <summary>
/// A whole demonstrable loop on one machine: the simulated stores and tax portal, the real host serving the shipped
/// flows against them over the sandbox database, the demo company, and (unless told not to) a stream of orders whose
/// progress to invoice and Valid receipt is printed live. Disposing stops the host and the simulators.
/// </summary>
public sealed class SandboxSession : IAsyncDisposable
{
    // Full stock pushes fired once the opening stock is in, so both stores show it at once rather than at their schedule
    // (prices need none: each price set is an ERP event the price flows push).
    private static readonly string[] FirstPushes = ["shopify-stock-push/nightly", "woocommerce-stock-push/nightly"];

    private readonly SandboxOptions _options;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly HostProcess _host;
    private readonly OrderGenerator _generator;

    private SandboxSession(SandboxOptions options, TextWriter output, TimeProvider time, SandboxStores stores, HostProcess host, HostApi api, string key)
    {
        _options = options;
        _output = output;
        _time = time;
        Stores = stores;
        _host = host;
        Api = api;
        OperatorKey = key;
        _generator = new OrderGenerator(stores, host.Url, time, options.Seed);
        Progress = new OrderProgress(api, output, time);
    }

    public SandboxStores Stores { get; }

    /// <summary>The host's API, with the operator key.</summary>
    public HostApi Api { get; }

    public string Url => _host.Url;

    /// <summary>The operator key made for this run (opens /designer and the operator API).</summary>
    public string OperatorKey { get; }

    public OrderProgress Progress { get; }

    /// <summary>Starts the simulators and the host, waits until it is ready, seeds the demo company and prints where to look.</summary>
    public static async Task<SandboxSession> StartAsync(SandboxOptions options, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = "sbx_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        if (options.Fresh)
        {
            output.WriteLine("sandbox: dropping and creating the sandbox database");
            await SandboxDatabase.RecreateAsync(options.DatabaseUrl, cancellationToken);
        }

        var stores = new SandboxStores();
        HostProcess? host = null;
        HostApi? api = null;
        try
        {
            stores.StockShelves(DemoCatalogue.Items);
            output.WriteLine($"sandbox: Shopify {stores.Shopify.AdminUrl}, WooCommerce {stores.Woo.BaseUrl}, ETA portal {stores.Eta.Url}");
            host = HostProcess.Start(options, stores.HostSettings(), key);
            output.WriteLine($"sandbox: host starting on {host.Url} (log: {options.HostLog})");
            var started = Stopwatch.StartNew();
            await host.WaitReadyAsync(TimeSpan.FromMinutes(3), options.HostLog, cancellationToken);
            output.WriteLine($"sandbox: host ready in {started.Elapsed.TotalSeconds:0.0} s");
            stores.SubscribeWooWebhooks(host.Url);
            stores.SendShopifyOrderUpdates(host.Url);
            api = new HostApi(host.Url, key);
            var seeded = await new DemoCompany(api, time).SeedAsync(cancellationToken);
            output.WriteLine(seeded
                ? $"sandbox: seeded company {DemoCatalogue.Company}: cost centers, a budget, warehouse {DemoCatalogue.Warehouse}, {DemoCatalogue.Items.Count} items priced and in stock"
                : $"sandbox: company {DemoCatalogue.Company} was seeded before (use --fresh to start over)");
            foreach (var push in FirstPushes)
            {
                await FireAsync(api, push, cancellationToken);
            }

            var sandbox = new SandboxSession(options, output, time, stores, host, api, key);
            sandbox.PrintTour();
            return sandbox;
        }
        catch
        {
            api?.Dispose();
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            stores.Dispose();
            throw;
        }
    }

    /// <summary>Places orders at the configured pace, fires ETA rounds and prints progress, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new List<Task> { EveryAsync(_options.EtaRound, ct => FireAsync(Api, "eta-receipts/everyMinute", ct), cancellationToken) };
        loops.Add(EveryAsync(TimeSpan.FromSeconds(1), Progress.RefreshAsync, cancellationToken));
        if (!_options.NoOrders)
        {
            loops.Add(EveryAsync(TimeSpan.FromMinutes(1) / _options.OrdersPerMinute, async ct => Progress.Add(await _generator.PlaceAsync(ct)), cancellationToken));
        }

        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the normal end.
        }
    }

    private void PrintTour()
    {
        _output.WriteLine();
        _output.WriteLine($"  Integration Host sandbox on {Url}");
        _output.WriteLine($"  operator key   {OperatorKey}");
        _output.WriteLine($"  designer       {Url}/designer   (sign in with the operator key)");
        _output.WriteLine($"  runs           curl -H 'Authorization: ApiKey {OperatorKey}' {Url}/api/runs");
        _output.WriteLine($"  invoices, GL   {Url}/api/erp/reports/trial-balance?company={DemoCatalogue.Company}&from=2000-01-01&to=2100-12-31");
        _output.WriteLine($"  stock          {Url}/api/erp/stock-balances?company={DemoCatalogue.Company}&warehouse={DemoCatalogue.Warehouse}");
        _output.WriteLine($"  ETA receipts   {Url}/api/eta/receipts");
        _output.WriteLine($"  metrics        {Url}/metrics     API reference {Url}/scalar/v1");
        _output.WriteLine(_options.NoOrders
            ? "  no orders (--no-orders); Ctrl-C stops everything"
            : $"  {_options.OrdersPerMinute:0.#} orders a minute (every fourth on WooCommerce); Ctrl-C stops everything");
        _output.WriteLine();
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        do
        {
            try
            {
                await work(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (_output)
                {
                    _output.WriteLine($"sandbox: {e.Message}");
                }
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Fires a flow's schedule now (<c>POST /api/schedules/{flow}/{activity}/run</c>), as an operator may.</summary>
    private static async Task FireAsync(HostApi api, string schedule, CancellationToken cancellationToken) =>
        await api.PostAsync($"/api/schedules/{schedule}/run", new { }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _generator.Dispose();
        Api.Dispose();
        await _host.DisposeAsync();
        Stores.Dispose();
    }
}
