using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Integration.Simulators.Shopify;

namespace Integration.WholeLoop.Load;

/// <summary>
/// Sends each order's signed <c>orders/create</c> (and optionally <c>orders/paid</c>) at its due time, whatever the host
/// answers (open loop: a slow answer does not slow the schedule), after putting the order in the simulated store the
/// host reads it back from. Records when the host acknowledged each delivery.
/// </summary>
public sealed class WebhookPacer : IDisposable
{
    private readonly ShopifySimulator _shop;
    private readonly bool _alsoPaid;
    private readonly bool _echo;

    public WebhookPacer(ShopifySimulator shop, string hostUrl, bool alsoPaid, bool echo = false)
    {
        _shop = shop;
        _alsoPaid = alsoPaid;
        _echo = echo;
        _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = new Uri(hostUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (echo)
        {
            shop.OrderUpdated += SendEcho;
        }
    }

    private readonly HttpClient _http;

    private readonly ConcurrentDictionary<long, Acknowledged> _acknowledged = new();
    private int _refused;

    /// <summary>Order id -> when its <c>orders/create</c> was due and when the host answered 200.</summary>
    public IReadOnlyDictionary<long, Acknowledged> AcknowledgedOrders => _acknowledged;

    /// <summary>Deliveries not answered 200 (each is a lost order for the benchmark: it counts against the run).</summary>
    public int Refused => _refused;

    /// <summary>Sends <paramref name="orders"/> at <paramref name="rate"/> per second; returns when every delivery is answered.</summary>
    public async Task SendAsync(IReadOnlyList<LoopOrder> orders, double rate, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var startedAt = DateTimeOffset.UtcNow;
        var inFlight = new List<Task>(orders.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Add(SendOrderAsync(orders[i], startedAt + due, cancellationToken));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendOrderAsync(LoopOrder order, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var id = _shop.State.AddOrder(order.Body);
        // With echoes, every delivery carries the order as the store serialises it, so the echo differs from
        // orders/create only in updated_at, as Shopify's do.
        var body = _echo ? _shop.State.Order(id)!.ToJsonString() : order.Body;
        var created = await DeliverAsync("orders/create", body, cancellationToken);
        if (created is { } at)
        {
            _acknowledged[order.Id] = new Acknowledged(due, at);
        }

        if (_alsoPaid)
        {
            await DeliverAsync("orders/paid", body, cancellationToken);
        }
    }

    // Not awaited: the simulator raises it under its lock. A delivery the host does not take counts as refused.
    private void SendEcho(string body) => _ = Task.Run(() => DeliverAsync("orders/updated", body, CancellationToken.None));

    private async Task<DateTimeOffset?> DeliverAsync(string topic, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", _shop.Webhooks.Sign(body));
        request.Headers.Add("X-Shopify-Shop-Domain", _shop.Options.ShopDomain);
        request.Headers.Add("X-Shopify-API-Version", _shop.Options.ApiVersion);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return DateTimeOffset.UtcNow;
            }
        }
        catch (HttpRequestException)
        {
            // Counted below: the store would retry it later, the benchmark counts it lost.
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The 30 s timeout.
        }

        Interlocked.Increment(ref _refused);
        return null;
    }

    public void Dispose()
    {
        _shop.OrderUpdated -= SendEcho;
        _http.Dispose();
    }
}

/// <summary>When a delivery was due and when the host acknowledged it (both UTC, the clock PostgreSQL reads too).</summary>
public readonly record struct Acknowledged(DateTimeOffset Due, DateTimeOffset At);
