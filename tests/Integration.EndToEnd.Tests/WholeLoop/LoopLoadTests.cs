using System.Globalization;
using Integration.WholeLoop.Load;
using Integration.Testing;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.WholeLoop;

/// <summary>
/// The whole-loop load driver (bench/loop.sh) runs end to end at a low rate: the real host as a child process, paced
/// signed Shopify orders (each sent as orders/create and again as orders/paid), and its report. It asserts what the
/// driver checks, not how fast: speed is measured by bench/loop.sh, never here.
/// </summary>
public sealed class LoopLoadTests(ITestOutputHelper log) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync("loop");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Twenty_paced_orders_are_each_invoiced_once_with_valid_receipts_on_balanced_books()
    {
        var hostLog = Path.Combine(Path.GetTempPath(), $"loop-test-{Guid.NewGuid():N}.log");
        var options = new LoopOptions
        {
            DatabaseUrl = _database.Url, RepoRoot = RepoPaths.Root, HostDll = Path.Combine(AppContext.BaseDirectory, "Integration.Host.dll"), HostLog = hostLog,
            Rate = 10, Duration = TimeSpan.FromSeconds(2), Warmup = TimeSpan.Zero, Drain = TimeSpan.FromSeconds(90), EtaRound = TimeSpan.FromSeconds(1), AlsoPaid = true,
        };
        var output = new StringWriter(CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            var report = await LoopRun.RunAsync(options, TextWriter.Synchronized(output), deadline.Token);
            report.Print(output);

            Assert.Equal(20, report.Measured.Count);
            Assert.Equal(0, report.Refused);
            Assert.Equal(20, report.AcknowledgedCount);
            Assert.Equal(20, report.InvoicedCount);
            Assert.Equal(20, report.InvoiceLatencies.Count);
            Assert.Equal(20, report.ValidCount);
            Assert.Equal(0, report.Outcome.DuplicateInvoices);
            Assert.Equal(20, report.Outcome.Invoices);
            Assert.Equal(0m, report.Outcome.TrialBalanceDifference);
            Assert.Equal(report.Outcome.StockAccountBalance, report.Outcome.StockLedgerValue);
            Assert.Equal(0, report.Outcome.ReceiptChainBreaks);
            Assert.Equal(0, report.Outcome.Incidents);
            Assert.True(report.Correct);
            // Both deliveries of every order were stored, none failed (the second books nothing more: 20 invoices above).
            Assert.Equal(20, report.Outcome.InboxByStatus.Where(kv => kv.Key.StartsWith("orders/paid ", StringComparison.Ordinal)).Sum(kv => kv.Value));
            Assert.Equal(0, report.Outcome.InboxByStatus.GetValueOrDefault("orders/paid failed"));
            Assert.Contains("Books: CORRECT", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            log.WriteLine(output.ToString());
            if (File.Exists(hostLog))
            {
                log.WriteLine(string.Join('\n', File.ReadLines(hostLog).TakeLast(30)));
            }
        }
    }
}
