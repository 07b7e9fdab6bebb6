namespace Integration.Faults.Tests;

/// <summary>What <see cref="LoopConsistency"/> found: the problems (none when the loop held) and the figures a scenario reports.</summary>
public sealed class LoopReport
{
    public List<string> Problems { get; } = [];

    public int Orders { get; init; }

    public int Invoices { get; set; }

    public int ValidReceipts { get; set; }

    public int ValidReturnReceipts { get; set; }

    public decimal StockValue { get; set; }

    public int RetriedIncidents { get; set; }

    /// <summary>How long the loop took to have nothing in flight before the checks.</summary>
    public TimeSpan QuietAfter { get; set; }

    public List<string> ExplainedIncidents { get; } = [];

    internal Dictionary<StoreOrder, string> InvoiceNumbers { get; } = [];

    /// <summary>Every problem on its own line, for an assertion message.</summary>
    public string Describe() => Problems.Count == 0 ? "no problems" : string.Join(Environment.NewLine, Problems.Take(40));

    public override string ToString() =>
        $"{Orders} orders, {Invoices} invoiced once, {ValidReceipts} Valid receipts, {ValidReturnReceipts} Valid return receipts, stock value {StockValue}, "
        + $"{RetriedIncidents} incidents retried, {ExplainedIncidents.Count} expected open, quiet after {QuietAfter.TotalSeconds:0.0} s, {Problems.Count} problems";
}
