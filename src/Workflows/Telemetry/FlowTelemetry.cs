using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Integration.Workflows.Telemetry;

/// <summary>
/// What the flow runtime reports to OpenTelemetry (meter and activity source <see cref="Name"/>): each run segment
/// settled (a run that suspends and resumes later counts again) by flow and status with its duration, one trace span
/// per segment, and the inbox's deliveries dispatched with how long they waited. Nothing is measured unless a
/// listener (the host's OpenTelemetry setup) asks for it.
/// </summary>
public static class FlowTelemetry
{
    public const string Name = "Integration.Flows";

    public static readonly ActivitySource Traces = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("integration.flows.runs", description: "Flow run segments settled, by flow and status (Finished, Suspended, Faulted, Cancelled).");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("integration.flows.run.duration", "s", "Wall time of a run segment, from start or resume to settling.");

    private static readonly Counter<long> Dispatched = Meter.CreateCounter<long>("integration.inbox.dispatched", description: "Webhook deliveries taken from the inbox, by source, topic and result (done, ignored, failed).");

    private static readonly Histogram<double> InboxWait = Meter.CreateHistogram<double>("integration.inbox.lag", "s", "How long a delivery waited in the inbox before a host dispatched it.");

    internal static Activity? StartRun(string definitionId) =>
        Traces.HasListeners() ? Traces.StartActivity("flow " + definitionId, ActivityKind.Internal)?.SetTag("flow.definition_id", definitionId) : null;

    /// <summary>
    /// The span of one inbox delivery or outbox event being dispatched, a child of the trace that wrote it
    /// (<paramref name="traceParent"/>, W3C), so the runs it starts continue that trace.
    /// </summary>
    internal static Activity? StartDispatch(string queue, long id, string topic, string? traceParent)
    {
        if (!Traces.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, null, out var parent);
        return Traces.StartActivity($"{queue} {topic}", ActivityKind.Consumer, parent)?
            .SetTag("messaging.destination.name", topic).SetTag($"{queue}.id", id);
    }

    internal static void Settled(string definitionId, string status, long startedAt, Activity? trace, string instanceId, string? correlationId)
    {
        var flow = new KeyValuePair<string, object?>("flow", definitionId);
        if (Runs.Enabled)
        {
            Runs.Add(1, flow, new KeyValuePair<string, object?>("status", status));
        }

        if (RunDuration.Enabled)
        {
            RunDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, flow);
        }

        if (trace is not null)
        {
            trace.SetTag("flow.status", status).SetTag("flow.instance_id", instanceId).SetTag("flow.correlation_id", correlationId);
            if (status == "Faulted")
            {
                trace.SetStatus(ActivityStatusCode.Error, "the run faulted");
            }
        }
    }

    internal static void Delivered(string source, string topic, string result, double waitedSeconds)
    {
        var from = new KeyValuePair<string, object?>("source", source);
        Dispatched.Add(1, from, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("result", result));
        InboxWait.Record(Math.Max(0, waitedSeconds), from);
    }
}
