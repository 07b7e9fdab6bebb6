using Integration.Workflows.Connectors;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Integration.Connectors.Shopify.Client;

/// <summary>
/// The Polly pipeline around one GraphQL call: retry (outermost, exponential back-off with jitter, or exactly what
/// Retry-After / the bucket says), a circuit breaker for server failures (throttling is pacing, not failure), and a
/// timeout per attempt; around it the breaker for a shop that is down (<see cref="Outage"/>).
/// </summary>
internal static class ShopifyResilience
{
    public static ResiliencePipeline<ShopifyGraphQLResponse> Build(
        string store, ShopifyResilienceOptions options, ShopifyThrottle throttle, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder<ShopifyGraphQLResponse> { TimeProvider = time, Name = "shopify:" + store }
            .AddRetry(new RetryStrategyOptions<ShopifyGraphQLResponse>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result switch
                {
                    { RetryAfter: { } after } => Cap(after, options.MaxDelay),
                    // Throttled without Retry-After: wait until the bucket refills to what the query asked for.
                    { IsThrottled: true, Cost: { } cost } => Cap(throttle.TimeUntil(cost.RequestedQueryCost), options.MaxDelay),
                    _ => (TimeSpan?)null,
                }),
                OnRetry = args =>
                {
                    if (args.Outcome.Result is { IsThrottled: true })
                    {
                        ConnectorTelemetry.RateLimited(ShopifyAdminClient.Connector, store, "throttled", args.RetryDelay);
                    }

                    var outcome = args.Outcome.Result is { } r ? (r.IsThrottled ? "THROTTLED" : ((int)r.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)) : args.Outcome.Exception?.GetType().Name;
                    logger.LogWarning(args.Outcome.Exception, "Shopify {Store}: retry {Attempt} in {Delay} after {Status}", store, args.AttemptNumber + 1, args.RetryDelay, outcome);
                    // The run's journal shows what the call went through, not only how long it took.
                    Integration.Workflows.Execution.ActivityNotes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"Shopify {store}: retry {args.AttemptNumber + 1} in {args.RetryDelay.TotalMilliseconds:0} ms after {outcome}"));
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ShopifyGraphQLResponse>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.IsServerError == true || IsNetworkFailure(args.Outcome.Exception)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

    /// <summary>The breaker for a store that is down, run around <see cref="Build"/>'s pipeline (5xx and network failures after the retries count; throttling does not).</summary>
    public static ResiliencePipeline<ShopifyGraphQLResponse> Outage(string store, ShopifyResilienceOptions options, OutageBreaker outage, ILogger logger) =>
        outage.Pipeline<ShopifyGraphQLResponse>("shopify-outage:" + store, options,
            outcome => outcome.Result is { } result ? result.IsServerError : IsNetworkFailure(outcome.Exception),
            pause => logger.LogError("Shopify {Store}: every call in {Window} failed after its retries; calls are paused for {Pause}", store, options.OutageWindow, pause));

    private static bool IsTransient(Outcome<ShopifyGraphQLResponse> outcome) =>
        outcome.Result is { } result ? result.IsThrottled || result.IsServerError : IsNetworkFailure(outcome.Exception);

    private static bool IsNetworkFailure(Exception? exception) => exception is HttpRequestException or TimeoutRejectedException;

    private static TimeSpan Cap(TimeSpan delay, TimeSpan max) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
}
