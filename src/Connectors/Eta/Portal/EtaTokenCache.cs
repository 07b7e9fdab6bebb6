using System.Collections.Concurrent;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The access token of each POS device, reused until <c>expires_in</c> less the refresh margin. One fetch at a time per
/// device, so concurrent calls with no valid token wait for the same fetch instead of each logging in.
/// </summary>
internal sealed class EtaTokenCache(TimeProvider time, TimeSpan refreshMargin)
{
    private readonly ConcurrentDictionary<string, Entry> _devices = new(StringComparer.Ordinal);

    public async Task<string> GetAsync(string deviceSerial, Func<CancellationToken, Task<(string Token, TimeSpan ExpiresIn)>> fetch, CancellationToken cancellationToken)
    {
        var entry = _devices.GetOrAdd(deviceSerial, _ => new Entry());
        if (entry.Valid(time) is { } token)
        {
            return token;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have fetched it while this one waited.
            if (entry.Valid(time) is { } fetched)
            {
                return fetched;
            }

            var (fresh, expiresIn) = await fetch(cancellationToken);
            entry.Set(fresh, time.GetUtcNow() + expiresIn - refreshMargin);
            return fresh;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>The API refused this token: forget it, unless a newer one already replaced it.</summary>
    public void Invalidate(string deviceSerial, string token)
    {
        if (_devices.TryGetValue(deviceSerial, out var entry))
        {
            entry.Clear(token);
        }
    }

    private sealed class Entry
    {
        private readonly Lock _lock = new();
        private string? _token;
        private DateTimeOffset _refreshAt;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Valid(TimeProvider time)
        {
            lock (_lock)
            {
                return _token is not null && time.GetUtcNow() < _refreshAt ? _token : null;
            }
        }

        public void Set(string token, DateTimeOffset refreshAt)
        {
            lock (_lock)
            {
                _token = token;
                _refreshAt = refreshAt;
            }
        }

        public void Clear(string token)
        {
            lock (_lock)
            {
                if (_token == token)
                {
                    _token = null;
                }
            }
        }
    }
}
