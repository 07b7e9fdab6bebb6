using System.Globalization;
using System.Net;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The Polly pipeline around one portal call: retry (outermost, exponential back-off with jitter, or exactly what
/// Retry-After says) and a timeout per attempt. A Retry-After beyond <see cref="EtaPortalResilienceOptions.MaxDelay"/>
/// ends the call so the caller can schedule. 422 (duplicate) is never retried.
/// </summary>
internal static class EtaPortalResilience
{
    /// <summary>
    /// <paramref name="mayResend"/> false (submissions): retry only answers proving the portal did not take the request,
    /// never a timeout or a connection lost after sending, so a submission is not sent twice by this client.
    /// </summary>
    public static ResiliencePipeline<EtaPortalAnswer> Build(string name, bool mayResend, EtaPortalResilienceOptions options, TimeProvider time, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder<EtaPortalAnswer> { TimeProvider = time, Name = "eta:" + name };
        // One attempt means no retry step at all: Polly refuses a retry strategy with zero retries.
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(Retry(name, mayResend, options, logger));
        }

        return pipeline.AddTimeout(options.AttemptTimeout).Build();
    }

    private static RetryStrategyOptions<EtaPortalAnswer> Retry(string name, bool mayResend, EtaPortalResilienceOptions options, ILogger logger) =>
        new()
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, mayResend, options.MaxDelay)),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
            OnRetry = args =>
            {
                if (args.Outcome.Result is { Status: HttpStatusCode.TooManyRequests })
                {
                    // The pipeline serves every device: the wait is the portal's, not one device's.
                    ConnectorTelemetry.RateLimited(EtaPortalClient.Connector, "portal", "throttled", args.RetryDelay);
                }

                logger.LogWarning(args.Outcome.Exception, "ETA portal {Call}: retry {Attempt} in {Delay} after {Outcome}", name, args.AttemptNumber + 1, args.RetryDelay,
                    args.Outcome.Result is { } r ? (r.IsUnreadable ? "a non-JSON answer " : "") + r.StatusCode.ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name);
                return ValueTask.CompletedTask;
            },
        };

    private static bool ShouldRetry(Outcome<EtaPortalAnswer> outcome, bool mayResend, TimeSpan maxDelay)
    {
        if (outcome.Result is not { } answer)
        {
            return outcome.Exception switch
            {
                // Nothing reached the portal: safe to send again.
                HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
                HttpRequestException or TimeoutRejectedException => mayResend,
                _ => false,
            };
        }

        if (answer.RetryAfter > maxDelay || answer.Status is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound)
        {
            return false;
        }

        // A 500 or an empty success may come after the portal stored the submission.
        return ProvesNotTaken(answer) || (mayResend && (answer.StatusCode >= 500 || answer.IsUnreadable));
    }

    /// <summary>
    /// The answer shows the request was not taken, so sending it again cannot make a second submission. Not a 502 or
    /// 504: a gateway answers them when the API behind it failed or was slow to answer, perhaps after storing the batch.
    /// </summary>
    internal static bool ProvesNotTaken(EtaPortalAnswer answer) =>
        answer.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
        // A WAF page: the request never reached the API.
        || (answer.IsUnreadable && answer.StatusCode < 500 && !string.IsNullOrWhiteSpace(answer.Text));
}
