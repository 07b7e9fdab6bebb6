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

    /// <summary>A remote call's failure: throttled (429) or a server error may pass; with no answer at all, as its cause says.</summary>
    public static bool OfHttp(int? status, Exception? cause) =>
        status is { } code ? code is 429 or >= 500 : cause is not null && Is(cause);
}
