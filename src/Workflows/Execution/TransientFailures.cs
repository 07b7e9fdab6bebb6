using System.Net.Sockets;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Integration.Workflows.Execution;

/// <summary>Whether an activity's error may pass if the run is tried again later: network, timeouts, open breakers, a store's 429/5xx.</summary>
public static class TransientFailures
{
    public static bool Is(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ITransientFailure failure:
                    return failure.IsTransient;
                case NpgsqlException database:
                    return database.IsTransient;
                case BrokenCircuitException or TimeoutRejectedException:
                case HttpRequestException or TimeoutException or TaskCanceledException or IOException or SocketException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Transient, and worth an activity's retry within its run: not when a client already spent its back-off on it or a
    /// breaker is open (the remote is down for a while), where the incident's later retry (minutes) is the one that may pass.
    /// </summary>
    public static bool MayPassWithinTheRun(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is BrokenCircuitException || e is ITransientFailure { ClientRetriesSpent: true })
            {
                return false;
            }
        }

        return Is(error);
    }

    /// <summary>A remote call's failure: throttled (429) or a server error may pass; with no answer at all, as its cause says.</summary>
    public static bool OfHttp(int? status, Exception? cause) =>
        status is { } code ? code is 429 or >= 500 : cause is not null && Is(cause);
}
