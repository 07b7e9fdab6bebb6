using System.Diagnostics.Metrics;

namespace Integration.Connectors.Eta.Issuing;

/// <summary>
/// ETA receipts as OpenTelemetry sees them (meter <see cref="Name"/>): a count of receipts entering each state by
/// device: <c>Draft</c> (issued), <c>Submitted</c> (the portal took it), <c>Valid</c>, <c>Invalid</c> (the verdict),
/// <c>Rejected</c> (refused at submission, so Invalid), <c>Deferred</c> (a submission put off) and <c>Late</c> (not
/// submitted in time). Counted where the state changes, so N hosts add up to the cluster's figures.
/// </summary>
public static class EtaReceiptTelemetry
{
    public const string Name = "Integration.Connectors.Eta";

    public const string Rejected = "Rejected";
    public const string Deferred = "Deferred";
    public const string Late = "Late";

    // One meter for the process, as the host's other meters: per-host meters share their streams in a test process.
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Receipts = Meter.CreateCounter<long>("integration.eta.receipts", description: "ETA receipts entering a state, by state and device.");

    internal static void Entered(string state, string device, int count = 1)
    {
        if (count > 0 && Receipts.Enabled)
        {
            Receipts.Add(count, new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("device", device));
        }
    }
}
