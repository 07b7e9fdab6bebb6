using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Integration.Workflows.Model;
using Polly;
using Polly.Retry;

namespace Integration.Workflows.Execution;

/// <summary>
/// Retries of one activity, declared as Elsa does in <c>customProperties.resilienceStrategy</c>:
/// <c>{"maxRetryAttempts": 3, "delay": "00:00:01", "backoffType": "Exponential", "useJitter": true}</c>. A Polly
/// pipeline is built once per activity. Only an error that may pass is retried (<see cref="TransientFailures"/>: the
/// network, a timeout, a 429 or 5xx): a 4xx, a refusal or a bad value fails the same way at once, and waiting for it
/// holds every event queued behind the run. Nor is one a connector's client already retried with back-off, or an open
/// breaker: the incident's own retries, minutes later, take it up without holding the queue. <c>Elsa.Fault</c> and
/// cancellation are never retried.
/// </summary>
internal static class ActivityRetryPolicy
{
    private static readonly ConditionalWeakTable<FlowActivityNode, ResiliencePipeline?> Pipelines = [];

    /// <summary>The activity's pipeline, or null when it declares no retries.</summary>
    public static ResiliencePipeline? For(FlowActivityNode node, TimeProvider time) =>
        Pipelines.GetValue(node, n => Build(n, time));

    private static ResiliencePipeline? Build(FlowActivityNode node, TimeProvider time)
    {
        if (node.Json["customProperties"]?["resilienceStrategy"] is not JsonObject strategy)
        {
            return null;
        }

        var attempts = strategy["maxRetryAttempts"]?.GetValue<int>() ?? 3;
        var delay = strategy["delay"]?.GetValue<string>() is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(1);
        var backoff = Enum.TryParse<DelayBackoffType>(strategy["backoffType"]?.GetValue<string>(), true, out var parsed) ? parsed : DelayBackoffType.Exponential;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                Delay = delay,
                BackoffType = backoff,
                UseJitter = strategy["useJitter"]?.GetValue<bool>() ?? true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not Activities.BuiltIn.FlowFaultException and not OperationCanceledException && TransientFailures.MayPassWithinTheRun(ex)),
            })
            .Build();
    }
}
