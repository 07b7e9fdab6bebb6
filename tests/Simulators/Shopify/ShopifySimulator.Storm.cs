using System.Net;
using System.Text.Json.Nodes;
using WireMock;

namespace Integration.Simulators.Shopify;

/// <summary>A storm: for as long as it lasts, a share of requests is refused with 429s and 5xx, as a shop under an incident answers.</summary>
public sealed partial class ShopifySimulator
{
    private Storm? _storm;
    private long _stormed;

    /// <summary>Requests the storm refused.</summary>
    public long Stormed => Interlocked.Read(ref _stormed);

    /// <summary>
    /// Until <see cref="EndStorm"/>, each request is refused with probability <paramref name="share"/> (seeded, so a run
    /// repeats), taking <paramref name="statuses"/> in turn; a 429 carries <paramref name="retryAfter"/>.
    /// </summary>
    public void StartStorm(double share, IReadOnlyList<HttpStatusCode> statuses, TimeSpan retryAfter, int seed = 11)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        ArgumentOutOfRangeException.ThrowIfZero(statuses.Count);
        lock (State.Gate)
        {
            _storm = new Storm(share, [.. statuses], retryAfter, new Random(seed));
        }
    }

    public void EndStorm()
    {
        lock (State.Gate)
        {
            _storm = null;
        }
    }

    /// <summary>The storm's answer to this request, if it refuses it. Called holding the state's gate.</summary>
    private ResponseMessage? StormAnswer()
    {
        if (_storm is not { } storm || storm.Random.NextDouble() >= storm.Share)
        {
            return null;
        }

        var status = storm.Statuses[(int)(Interlocked.Increment(ref _stormed) % storm.Statuses.Length)];
        if (status == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref _throttled);
            return Reply(status, Errors("Throttled", "THROTTLED"), storm.RetryAfter);
        }

        if ((int)status >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }

        return Reply(status, new JsonObject { ["errors"] = "Internal error. Looks like something went wrong on our end." });
    }

    private sealed record Storm(double Share, HttpStatusCode[] Statuses, TimeSpan RetryAfter, Random Random);
}
