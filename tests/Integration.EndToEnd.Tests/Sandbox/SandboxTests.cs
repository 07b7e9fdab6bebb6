using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Integration.Sandbox;
using Integration.Testing;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.Sandbox;

/// <summary>
/// <c>scripts/run --sandbox</c> as a newcomer meets it: the real host as a child process, the simulated stores and portal,
/// the demo company seeded through the API, and generated orders that end as invoices with Valid receipts.
/// </summary>
public sealed class SandboxTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Orders = 6;

    // About 40 s on a quiet 2-core machine (start, migrate, seed, six orders to Valid); the margin is for a busy one.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync("sandbox");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Generated_orders_become_invoices_with_valid_receipts_moving_stock_on_balanced_books()
    {
        var hostLog = Path.Combine(Path.GetTempPath(), $"sandbox-test-{Guid.NewGuid():N}.log");
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var output = TextWriter.Synchronized(text);
        var options = new SandboxOptions
        {
            DatabaseUrl = _database.Url, RepoRoot = RepoPaths.Root, HostDll = HostDll(), HostLog = hostLog,
            OrdersPerMinute = 240, EtaRound = TimeSpan.FromSeconds(1), Seed = 11,
        };
        using var deadline = new CancellationTokenSource(Limit);
        var clock = Stopwatch.StartNew();
        try
        {
            await using var sandbox = await SandboxSession.StartAsync(options, output, TimeProvider.System, deadline.Token);
            var opening = await StockAsync(sandbox, deadline.Token);
            Assert.Equal(DemoCatalogue.Items.Count, opening.Count);
            Assert.All(DemoCatalogue.Items, i => Assert.Equal(i.OpeningStock, opening[i.Sku]));

            // Orders arrive until enough are placed; then the generator stops and the placed ones are followed to the end.
            using var generating = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            var running = sandbox.RunAsync(generating.Token);
            while (sandbox.Progress.Orders.Count < Orders)
            {
                await Task.Delay(100, deadline.Token);
            }

            await generating.CancelAsync();
            await running;
            var orders = sandbox.Progress.Orders;
            while (!orders.All(o => o.Settled))
            {
                await sandbox.Api.PostAsync("/api/schedules/eta-receipts/everyMinute/run", new { }, deadline.Token);
                await sandbox.Progress.RefreshAsync(deadline.Token);
                await Task.Delay(500, deadline.Token);
            }

            log.WriteLine($"{orders.Count} orders settled {clock.Elapsed.TotalSeconds:0.0} s after start");
            Assert.All(orders, o => Assert.Equal(200, o.WebhookStatus));
            Assert.All(orders, o => Assert.True(o.ReceiptState == "Valid", OrderProgress.Describe(o)));
            Assert.Contains(orders, o => o.System == "woocommerce");
            Assert.Equal(orders.Count, orders.Select(o => o.InvoiceNo).Distinct().Count());
            Assert.Contains("-> receipt Valid", Text(output, text), StringComparison.Ordinal);

            // Shopify sends orders/updated when the host writes an order's receipt metafield: the host recognises its own
            // write and runs nothing for it.
            var shopifyOrders = orders.Count(o => o.System == "shopify");
            List<JsonElement> echoes;
            while ((echoes = await HandledAsync(sandbox, "orders/updated", deadline.Token)).Count < shopifyOrders)
            {
                await Task.Delay(200, deadline.Token);
            }

            Assert.All(echoes, e => Assert.Equal("superseded", e.GetProperty("status").GetString()));

            // The portal holds one Valid receipt per order, and the host says so too.
            var valid = await sandbox.Api.GetAsync("/api/eta/receipts?state=Valid&pageSize=500", deadline.Token);
            Assert.Equal(orders.Count, valid.GetProperty("total").GetInt64());

            // Stock left the online warehouse by exactly what was sold.
            var sold = orders.SelectMany(o => o.Lines).GroupBy(l => l.Item.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Qty));
            var after = await StockAsync(sandbox, deadline.Token);
            Assert.All(DemoCatalogue.Items, i => Assert.Equal(i.OpeningStock - sold.GetValueOrDefault(i.Sku), after[i.Sku]));

            // The books balance, and sales were booked: income on 4100 for what was sold net of discounts.
            var year = DateTime.UtcNow.Year;
            var trial = await sandbox.Api.GetAsync(
                $"/api/erp/reports/trial-balance?company={DemoCatalogue.Company}&from={year - 1}-01-01&to={year + 1}-12-31", deadline.Token);
            Assert.Equal(trial.GetProperty("totalDebit").GetDecimal(), trial.GetProperty("totalCredit").GetDecimal());
            var sales = trial.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("account").GetString() == "4100");
            Assert.Equal(orders.SelectMany(o => o.Lines).Sum(l => l.Net), sales.GetProperty("credit").GetDecimal() - sales.GetProperty("debit").GetDecimal());

            // What the ERP says is in stock lands in the Shopify store.
            var soldSku = sold.Keys.First();
            await sandbox.Api.PostAsync("/api/schedules/shopify-stock-push/everyMinute/run", new { }, deadline.Token);
            while (sandbox.Stores.Shopify.State.Available(soldSku) != after[soldSku])
            {
                await Task.Delay(200, deadline.Token);
            }

            log.WriteLine($"done {clock.Elapsed.TotalSeconds:0.0} s after start");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"The sandbox did not get there within {Limit.TotalSeconds} s.\n{Text(output, text)}\nHost log tail:\n{Tail(hostLog)}");
        }
        finally
        {
            log.WriteLine(Text(output, text));
        }
    }

    // The Shopify deliveries of a topic the host has dealt with.
    private static async Task<List<JsonElement>> HandledAsync(SandboxSession sandbox, string topic, CancellationToken cancellationToken)
    {
        var page = await sandbox.Api.GetAsync($"/api/inbox?source=shopify&topic={topic}&limit=500", cancellationToken);
        return [.. page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("status").GetString() != "received")];
    }

    private static async Task<Dictionary<string, decimal>> StockAsync(SandboxSession sandbox, CancellationToken cancellationToken)
    {
        var balances = await sandbox.Api.GetAsync($"/api/erp/stock-balances?company={DemoCatalogue.Company}&warehouse={DemoCatalogue.Warehouse}", cancellationToken);
        return balances.EnumerateArray().ToDictionary(b => b.GetProperty("sku").GetString()!, b => b.GetProperty("actualQty").GetDecimal());
    }

    /// <summary>The host binary the build put beside the tests (or beside the sandbox), with its runtimeconfig.</summary>
    private static string HostDll()
    {
        var candidates = new[]
        {
            AppContext.BaseDirectory,
            Path.Combine(RepoPaths.Root, "sandbox", "Integration.Sandbox", "bin", Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0"),
        };
        return candidates.Select(d => Path.Combine(d, "Integration.Host.dll"))
            .FirstOrDefault(p => File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException("Integration.Host.dll with its runtimeconfig not found in " + string.Join(", ", candidates));
    }

    // The synchronized writer locks on itself, as the sandbox's own writes do.
    private static string Text(TextWriter output, StringWriter text)
    {
        lock (output)
        {
            return text.ToString();
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(40)) : "(no log)";
}
