using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;

namespace Integration.Workflows.Telemetry;

/// <summary>
/// What connectors report to OpenTelemetry (meter <see cref="Name"/>): each call to a remote API by connector, store,
/// operation and status (<c>ok</c>, an HTTP status code, <c>graphql-error</c>, <c>timeout</c>, <c>network</c>,
/// <c>circuit-open</c>, <c>store-down</c>) with its duration, and each wait a rate limit imposed (count and seconds) by reason:
/// <c>bucket</c> (Shopify's cost bucket as tracked here), <c>pace</c> (a store's polite pace) or <c>throttled</c> (the
/// remote answered 429/THROTTLED and the retry waited).
/// </summary>
public static class ConnectorTelemetry
{
    public const string Name = "Integration.Connectors";

    // One meter for the process, as FlowTelemetry: per-host meters share their streams in a test process.
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("integration.connector.calls", description: "Calls to remote APIs (after retries), by connector, store, operation and status.");

    private static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>("integration.connector.call.duration", "s", "Wall time of a call to a remote API, retries and waits included.");

    private static readonly Counter<long> RateLimitWaits = Meter.CreateCounter<long>("integration.connector.rate_limit.waits", description: "Times a call waited for a rate limit, by connector, store and reason.");

    private static readonly Counter<double> RateLimitWaitTime = Meter.CreateCounter<double>("integration.connector.rate_limit.wait_time", "s", "Seconds calls waited for rate limits, by connector, store and reason.");

    private static readonly Counter<long> StockDrift = Meter.CreateCounter<long>("integration.connector.stock_drift",
        description: "Store stock quantities a compared push found different from the ERP's, by connector, store and side (store_more: the store offered more than the ERP promises, an oversell risk; store_less).");

    private static readonly Counter<long> PriceDrift = Meter.CreateCounter<long>("integration.connector.price_drift",
        description: "Store variant prices a compared push found different from the ERP's (someone priced them in the store), by connector and store.");

    /// <summary>A timestamp to pass to <see cref="Called"/> when the call ends.</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>One call ended with <paramref name="status"/>, <paramref name="startedAt"/> from <see cref="Start"/>.</summary>
    public static void Called(string connector, string store, string operation, string status, long startedAt)
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, Tag("connector", connector), Tag("store", store), Tag("operation", operation), Tag("status", status));
        }

        if (CallDuration.Enabled)
        {
            CallDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Tag("connector", connector), Tag("store", store), Tag("operation", operation));
        }
    }

    /// <summary>The status label of an HTTP answer: <c>ok</c> for 2xx, else its code.</summary>
    public static string StatusOf(HttpStatusCode status) =>
        (int)status is >= 200 and < 300 ? "ok" : ((int)status).ToString(CultureInfo.InvariantCulture);

    /// <summary>A call waited <paramref name="waited"/> for a rate limit.</summary>
    public static void RateLimited(string connector, string store, string reason, TimeSpan waited)
    {
        if (RateLimitWaits.Enabled)
        {
            RateLimitWaits.Add(1, Tag("connector", connector), Tag("store", store), Tag("reason", reason));
        }

        if (RateLimitWaitTime.Enabled)
        {
            RateLimitWaitTime.Add(Math.Max(0, waited.TotalSeconds), Tag("connector", connector), Tag("store", store), Tag("reason", reason));
        }
    }

    /// <summary>A compared stock push found quantities the store showed differently from the ERP (and set them).</summary>
    public static void StockDrifted(string connector, string store, int storeLess, int storeMore)
    {
        if (StockDrift.Enabled)
        {
            StockDrift.Add(storeLess, Tag("connector", connector), Tag("store", store), Tag("side", "store_less"));
            StockDrift.Add(storeMore, Tag("connector", connector), Tag("store", store), Tag("side", "store_more"));
        }
    }

    /// <summary>A compared price push found prices the store showed differently from the ERP (and set them).</summary>
    public static void PricesDrifted(string connector, string store, int drifted)
    {
        if (PriceDrift.Enabled)
        {
            PriceDrift.Add(drifted, Tag("connector", connector), Tag("store", store));
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
