using System.Globalization;

namespace Integration.WholeLoop.Load;

/// <summary>The figures of one run, and their Markdown for docs/benchmarks.md.</summary>
public sealed record LoopReport(
    LoopOptions Options,
    IReadOnlyList<LoopOrder> Measured,
    IReadOnlyDictionary<long, Acknowledged> Acknowledged,
    int Refused,
    LoopOutcome Outcome,
    ResourceSample WindowStart,
    ResourceSample WindowEnd,
    ResourceSample DrainEnd,
    IReadOnlyList<ResourceSample> Samples,
    bool AllInvoiced,
    bool AllValid,
    IReadOnlyList<StatementTime> Statements,
    HostRuntimeFigures? HostRuntime)
{
    /// <summary>Measured orders the host acknowledged.</summary>
    public int AcknowledgedCount => Measured.Count(o => Acknowledged.ContainsKey(o.Id));

    /// <summary>Measured, acknowledged orders with a posted invoice.</summary>
    public int InvoicedCount => Measured.Count(o => Acknowledged.ContainsKey(o.Id) && Outcome.InvoicePosted.ContainsKey(o.Id));

    /// <summary>Measured, acknowledged orders whose receipt is Valid.</summary>
    public int ValidCount => Measured.Count(o => Acknowledged.ContainsKey(o.Id) && Outcome.ReceiptValid.ContainsKey(o.Id));

    public double SendSeconds => (WindowEnd.At - WindowStart.At).TotalSeconds;

    /// <summary>Invoices posted per second while orders were being sent (all orders: warm-up leftovers count too).</summary>
    public double InvoicedPerSecondWhileSending => (WindowEnd.Invoices - WindowStart.Invoices) / SendSeconds;

    /// <summary>Acknowledged orders not yet invoiced when the last one was sent.</summary>
    public long BacklogAtEndOfSending => Math.Max(0, AcknowledgedCount - (WindowEnd.Invoices - WindowStart.Invoices));

    /// <summary>Webhook acknowledged -> invoice's GL entries committed, ms, of every measured order invoiced.</summary>
    public IReadOnlyList<double> InvoiceLatencies => Latencies(Outcome.InvoicePosted);

    public IReadOnlyList<double> ReceiptLatencies => Latencies(Outcome.ReceiptValid);

    /// <summary>When each delivery was due -> acknowledged, ms (open loop: queueing in front of the host counts).</summary>
    public IReadOnlyList<double> AckLatencies =>
        [.. Measured.Where(o => Acknowledged.ContainsKey(o.Id)).Select(o => (Acknowledged[o.Id].At - Acknowledged[o.Id].Due).TotalMilliseconds).Order()];

    /// <summary>Every check of the books passed and every measured order was invoiced exactly once.</summary>
    public bool Correct =>
        Refused == 0 && InvoicedCount == Measured.Count && Outcome.DuplicateInvoices == 0 && Outcome.TrialBalanceDifference == 0
        && Outcome.UnbalancedVouchers == 0 && Outcome.StockLedgerValue == Outcome.StockAccountBalance && Outcome.ReceiptChainBreaks == 0
        && Outcome.Incidents == 0;

    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public void Print(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var o = Options;
        var reconciliation = o.ReconcileEvery > TimeSpan.Zero ? string.Create(c, $"order reconciliation every {o.ReconcileEvery.TotalSeconds:0.#} s; ") : "";
        output.WriteLine();
        output.WriteLine(string.Create(c, $"Whole loop: {Measured.Count} Shopify orders at {o.Rate:0.#}/s over {o.Duration.TotalSeconds:0} s (open loop{(o.AlsoPaid ? ", orders/create + orders/paid" : ", orders/create")}{(o.Echo ? ", orders/updated after each receipt metafield" : "")}), after {o.Warmup.TotalSeconds:0} s of warm-up; "
            + $"Shopify store {(o.ShopifyPoints > 0 ? o.ShopifyPoints.ToString("0", c) + " points/s" : "unthrottled")}; ETA round every {o.EtaRound.TotalSeconds:0.#} s; {reconciliation}"
            + $"posted time = {(Outcome.CommitTimestamps ? "commit timestamp of the invoice's GL entries" : "start of the posting transaction")}; {Environment.ProcessorCount} cores"));
        output.WriteLine();
        output.WriteLine("| acknowledged | refused | invoiced | invoiced/s while sending | backlog when sending ended | drain after sending | receipts Valid |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var lastPosted = Measured.Where(m => Outcome.InvoicePosted.ContainsKey(m.Id)).Select(m => Outcome.InvoicePosted[m.Id]).DefaultIfEmpty(WindowEnd.At).Max();
        output.WriteLine(string.Create(c, $"| {AcknowledgedCount} | {Refused} | {InvoicedCount}{(AllInvoiced ? "" : " (drain timed out)")} | {InvoicedPerSecondWhileSending:0.0} | {BacklogAtEndOfSending} (inbox {WindowEnd.InboxBacklog}) | {Math.Max(0, (lastPosted - WindowEnd.At).TotalSeconds):0.0} s | {ValidCount}{(AllValid ? "" : " (not all)")} |"));
        output.WriteLine();
        output.WriteLine("| measured from webhook acknowledged | p50 ms | p95 ms | p99 ms | max ms |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        Row(output, "due -> acknowledged (200)", AckLatencies);
        Row(output, "-> invoice posted", InvoiceLatencies);
        Row(output, "-> receipt Valid", ReceiptLatencies);
        output.WriteLine();
        output.WriteLine("Invoices posted per 5 s while sending and draining: " + string.Join(' ', Throughput(TimeSpan.FromSeconds(5))));
        output.WriteLine();
        PrintResources(output);
        output.WriteLine();
        PrintBooks(output);
        if (Statements.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("PostgreSQL time by statement over the measured window and drain (pg_stat_statements):");
            output.WriteLine();
            output.WriteLine("| total ms | calls | mean ms | rows | statement |");
            output.WriteLine("|---:|---:|---:|---:|---|");
            foreach (var s in Statements)
            {
                var query = s.Query.Length > 110 ? s.Query[..110] + "..." : s.Query;
                output.WriteLine(string.Create(c, $"| {s.TotalMs:0} | {s.Calls} | {s.MeanMs:0.000} | {s.Rows} | `{query.Replace("|", "\\|", StringComparison.Ordinal)}` |"));
            }
        }
    }

    private void PrintResources(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var window = Samples.Where(s => s.At >= WindowStart.At && s.At <= DrainEnd.At).ToList();
        double Cores(Func<ResourceSample, double> cpu, ResourceSample from, ResourceSample to) => (cpu(to) - cpu(from)) / (to.At - from.At).TotalSeconds;
        output.WriteLine("| processor (cores of 2, averaged) | while sending | sending + drain |");
        output.WriteLine("|---|---:|---:|");
        foreach (var (name, cpu) in new (string, Func<ResourceSample, double>)[]
        {
            ("host process", s => s.HostCpu), ("PostgreSQL (all its processes)", s => s.PostgresCpu),
            ("driver + simulators", s => s.DriverCpu), ("whole machine (other work too)", s => s.MachineCpu),
        })
        {
            output.WriteLine(string.Create(c, $"| {name} | {Cores(cpu, WindowStart, WindowEnd):0.00} | {Cores(cpu, WindowStart, DrainEnd):0.00} |"));
        }

        var posted = DrainEnd.Invoices - WindowStart.Invoices;
        if (posted > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(c, $"Processor time per invoice posted (sending + drain, {posted} invoices, all the host's work counted): "
                + $"host {(DrainEnd.HostCpu - WindowStart.HostCpu) * 1000 / posted:0} ms, PostgreSQL {(DrainEnd.PostgresCpu - WindowStart.PostgresCpu) * 1000 / posted:0} ms."));
            if (HostRuntime is { } runtime)
            {
                // Compiling is start-up cost that lingers: a host whose tiering has settled does not pay it per order.
                output.WriteLine(string.Create(c, $"Of the host's: compiling code (JIT) {runtime.JitSeconds * 1000 / posted:0.0} ms per invoice ({runtime.JitMethods:0} methods "
                    + $"compiled in the window), garbage collection pauses {runtime.GcPauseSeconds * 1000 / posted:0.0} ms."));
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(c,
            $"Memory (peak): host RSS {window.Max(s => s.HostRssMiB):0} MiB, PostgreSQL PSS {window.Max(s => s.PostgresPssMiB):0} MiB, driver RSS {window.Max(s => s.DriverRssMiB):0} MiB. "
            + $"Database connections: peak {window.Max(s => s.Connections)}, mean {window.Average(s => s.Connections):0}; of them on average {window.Average(s => s.Active):0.0} running a statement, "
            + $"{window.Average(s => s.LockWaits):0.0} waiting for a lock, {window.Average(s => s.IdleInTransaction):0.0} idle in a transaction (waiting for the host). "
            + $"Load average (1 min) {window.Min(s => s.LoadAverage):0.0} to {window.Max(s => s.LoadAverage):0.0}."));
    }

    private void PrintBooks(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var b = Outcome;
        output.WriteLine(string.Create(c, $"Books: {(Correct ? "CORRECT" : "NOT CORRECT")}. Measured orders invoiced {InvoicedCount} of {Measured.Count} (duplicates {b.DuplicateInvoices}, all invoices {b.Invoices}); "
            + $"GL debit - credit {b.TrialBalanceDifference:0.####}; unbalanced vouchers {b.UnbalancedVouchers}; stock ledger {b.StockLedgerValue:0.##} vs stock account {b.StockAccountBalance:0.##}; "
            + $"receipt chain breaks {b.ReceiptChainBreaks}; incidents in the order's flows {b.Incidents}."));
        output.WriteLine("Incidents by flow: " + (b.IncidentsByFlow.Count == 0 ? "none" : string.Join(", ", b.IncidentsByFlow.Select(kv => $"{kv.Key} {kv.Value}"))));
        output.WriteLine("Receipts: " + string.Join(", ", b.ReceiptsByState.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine("Runs: " + string.Join(", ", b.RunsByStatus.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine("Inbox: " + string.Join(", ", b.InboxByStatus.Select(kv => $"{kv.Key} {kv.Value}")));
    }

    private IReadOnlyList<double> Latencies(IReadOnlyDictionary<long, DateTimeOffset> at) =>
        [.. Measured.Where(o => Acknowledged.ContainsKey(o.Id) && at.ContainsKey(o.Id)).Select(o => (at[o.Id] - Acknowledged[o.Id].At).TotalMilliseconds).Order()];

    private IEnumerable<string> Throughput(TimeSpan bucket)
    {
        var times = Outcome.InvoicePosted.Values.Where(t => t >= WindowStart.At).Order().ToList();
        for (var from = WindowStart.At; from < DrainEnd.At; from += bucket)
        {
            var to = from + bucket;
            yield return times.Count(t => t >= from && t < to).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static void Row(TextWriter output, string name, IReadOnlyList<double> sorted) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} ({sorted.Count}) | {Percentile(sorted, 0.50):0} | {Percentile(sorted, 0.95):0} | {Percentile(sorted, 0.99):0} | {(sorted.Count == 0 ? double.NaN : sorted[^1]):0} |"));
}
