using System.Diagnostics.Tracing;

namespace Integration.Mappings.Bench;

/// <summary>
/// The runtime's allocation samples (one event per about 100 KB allocated, naming the type that crossed the mark), summed
/// by type: where a run's bytes go, without a profiler.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public IReadOnlyList<(string Type, long Bytes)> ByType()
    {
        lock (_bytes)
        {
            return [.. _bytes.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: GCAllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var type = eventData.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        lock (_bytes)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }
}
