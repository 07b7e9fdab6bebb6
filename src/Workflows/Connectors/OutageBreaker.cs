using Polly;
using Polly.CircuitBreaker;

namespace Integration.Workflows.Connectors;

/// <summary>
/// A breaker around a connector's own pipeline (retries, breaker, timeouts), for a remote that is down rather than
/// failing now and then: when every call to it in <c>OutageWindow</c>, at least <c>OutageAfterCalls</c> of them, spent
/// its retries on errors that may pass, calls fail at once for <c>OutagePause</c> (a
/// <see cref="BrokenCircuitException"/>, transient: the run's incident is retried later), then one trial call goes
/// through (the others still fail at once until it ends). Without it each call to a store that is down waits out the
/// whole back-off (about a minute), and so does every webhook or ERP event queued behind its run. The breaker inside the
/// retries counts attempts, which the back-off spaces too far apart to open it. One per store client, which says whether
/// it is paused (<see cref="PausedStoresHealthCheck"/>); a client tells this breaker's refusal from its inner breaker's
/// by whether the call reached its own pipeline.
/// </summary>
public sealed class OutageBreaker(TimeProvider time)
{
    private readonly CircuitBreakerStateProvider _state = new();
    private long _pausedUntilTicks;

    /// <summary>
    /// Calls fail at once now, or wait for the trial call under way. Polly leaves the open state only when a call comes,
    /// so an open breaker whose pause is over counts as not paused: the next call is the trial.
    /// </summary>
    public bool IsPaused => _state.CircuitState switch
    {
        CircuitState.HalfOpen or CircuitState.Isolated => true,
        CircuitState.Open => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _pausedUntilTicks),
        _ => false,
    };

    /// <summary>The breaker as a pipeline to run the client's own around (none when <see cref="StoreOutageOptions.OutageAfterCalls"/> is 0).</summary>
    public ResiliencePipeline<T> Pipeline<T>(string name, StoreOutageOptions options, Func<Outcome<T>, bool> isOutage, Action<TimeSpan> onOpened)
    {
        if (options.OutageAfterCalls <= 0)
        {
            return ResiliencePipeline<T>.Empty;
        }

        var pause = options.OutagePause;
        return new ResiliencePipelineBuilder<T> { TimeProvider = time, Name = name }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<T>
            {
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.OutageAfterCalls),
                SamplingDuration = options.OutageWindow,
                BreakDuration = pause,
                // Runs as the breaker opens, under its lock: the pause's end is known before any call sees it open.
                BreakDurationGenerator = _ =>
                {
                    Interlocked.Exchange(ref _pausedUntilTicks, (time.GetUtcNow() + pause).UtcTicks);
                    return ValueTask.FromResult(pause);
                },
                StateProvider = _state,
                // The inner breaker's refusal is an outage too: the store failed often enough to open it.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is BrokenCircuitException || isOutage(args.Outcome)),
                OnOpened = args =>
                {
                    onOpened(args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
