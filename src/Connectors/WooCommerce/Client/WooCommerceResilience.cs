using System.Globalization;
using Integration.Workflows.Connectors;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// The Polly pipeline around one REST call: retry (outermost; exponential back-off with jitter, or what Retry-After
/// says), a circuit breaker for server failures (a 429 is pacing, not failure) and a timeout per attempt; around it the
/// breaker for a store that is down (<see cref="Outage"/>). The polite pace is kept inside each attempt by
/// <see cref="WooCommercePace"/>.
/// </summary>
internal static class WooCommerceResilience
{
    public static ResiliencePipeline<WooCommerceResponse> Build(string store, WooCommerceResilienceOptions options, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder<WooCommerceResponse> { TimeProvider = time, Name = "woocommerce:" + store }
            .AddRetry(new RetryStrategyOptions<WooCommerceResponse>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } after ? Cap(after, options.MaxDelay) : (TimeSpan?)null),
                OnRetry = args =>
                {
                    if (args.Outcome.Result is { IsThrottled: true })
                    {
                        ConnectorTelemetry.RateLimited(WooCommerceClient.Connector, store, "throttled", args.RetryDelay);
                    }

                    logger.LogWarning(args.Outcome.Exception, "WooCommerce {Store}: retry {Attempt} in {Delay} after {Status}", store, args.AttemptNumber + 1, args.RetryDelay,
                        args.Outcome.Result is { } r ? ((int)r.Status).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WooCommerceResponse>
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
    public static ResiliencePipeline<WooCommerceResponse> Outage(string store, WooCommerceResilienceOptions options, OutageBreaker outage, ILogger logger) =>
        outage.Pipeline<WooCommerceResponse>("woocommerce-outage:" + store, options,
            outcome => outcome.Result is { } result ? result.IsServerError : IsNetworkFailure(outcome.Exception),
            pause => logger.LogError("WooCommerce {Store}: every call in {Window} failed after its retries; calls are paused for {Pause}", store, options.OutageWindow, pause));

    private static bool IsTransient(Outcome<WooCommerceResponse> outcome) =>
        outcome.Result is { } result ? result.IsThrottled || result.IsServerError : IsNetworkFailure(outcome.Exception);

    private static bool IsNetworkFailure(Exception? exception) => exception is HttpRequestException or TimeoutRejectedException;

    private static TimeSpan Cap(TimeSpan delay, TimeSpan max) => delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
}
