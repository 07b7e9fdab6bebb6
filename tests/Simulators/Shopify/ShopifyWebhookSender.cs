using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Sends webhooks the way Shopify does: the raw JSON body, <c>X-Shopify-*</c> headers and the base64 HMAC-SHA256 of the
/// body under the app secret; retries a delivery that got no 2xx (same webhook id, same payload); can send a delivery
/// twice or a batch out of order.
/// </summary>
public sealed class ShopifyWebhookSender(ShopifySimulatorOptions options) : IDisposable
{
    private readonly HttpClient _own = new();

    /// <summary>Attempts per delivery (Shopify makes 8 over 4 hours; tests want few and fast).</summary>
    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Every attempt made, in order.</summary>
    public IReadOnlyList<SimulatedWebhookAttempt> Attempts
    {
        get
        {
            // A copy: tests read while concurrent sends add.
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    private readonly List<SimulatedWebhookAttempt> _attempts = [];

    /// <summary>Sends one delivery to <paramref name="url"/> (absolute, or relative to <paramref name="client"/>'s base address).</summary>
    public async Task<SimulatedWebhookDelivery> SendAsync(
        string topic, string body, string url, HttpClient? client = null, string? webhookId = null, string? eventId = null,
        int copies = 1, string? signWith = null, CancellationToken cancellationToken = default)
    {
        var delivery = new SimulatedWebhookDelivery(
            topic, body, webhookId ?? Guid.NewGuid().ToString(), eventId ?? Guid.NewGuid().ToString(), options.Time.GetUtcNow());
        for (var copy = 0; copy < copies; copy++)
        {
            await DeliverAsync(delivery, url, client, signWith, cancellationToken);
        }

        return delivery;
    }

    /// <summary>Sends deliveries in the reverse of the order they happened (Shopify promises no order).</summary>
    public async Task SendOutOfOrderAsync(IEnumerable<(string Topic, string Body)> happened, string url, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        foreach (var (topic, body) in happened.Reverse())
        {
            await SendAsync(topic, body, url, client, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The signature Shopify would send for <paramref name="body"/>.</summary>
    public string Sign(string body, string? secret = null) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? options.AppSecret), Encoding.UTF8.GetBytes(body)));

    private async Task DeliverAsync(SimulatedWebhookDelivery delivery, string url, HttpClient? client, string? signWith, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body)),
            };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Shopify-Topic", delivery.Topic);
            request.Headers.Add("X-Shopify-Hmac-Sha256", Sign(delivery.Body, signWith));
            request.Headers.Add("X-Shopify-Shop-Domain", options.ShopDomain);
            request.Headers.Add("X-Shopify-API-Version", options.ApiVersion);
            request.Headers.Add("X-Shopify-Webhook-Id", delivery.WebhookId);
            request.Headers.Add("X-Shopify-Event-Id", delivery.EventId);
            request.Headers.Add("X-Shopify-Triggered-At", delivery.TriggeredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            HttpStatusCode? status = null;
            try
            {
                using var response = await (client ?? _own).SendAsync(request, cancellationToken);
                status = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Unreachable: counts as a failed attempt, as at Shopify.
            }

            lock (_attempts)
            {
                _attempts.Add(new SimulatedWebhookAttempt(delivery.WebhookId, delivery.Topic, attempt, status));
            }

            if (status is { } s && (int)s is >= 200 and < 300)
            {
                return;
            }

            if (attempt < MaxAttempts && RetryDelay > TimeSpan.Zero)
            {
                await Task.Delay(RetryDelay, options.Time, cancellationToken);
            }
        }
    }

    public void Dispose() => _own.Dispose();
}

/// <summary>A webhook as Shopify triggered it: topic, payload and the ids its headers carry.</summary>
public sealed record SimulatedWebhookDelivery(string Topic, string Body, string WebhookId, string EventId, DateTimeOffset TriggeredAt);

/// <summary>One attempt to deliver a webhook and the status it got (null when the target was unreachable).</summary>
public sealed record SimulatedWebhookAttempt(string WebhookId, string Topic, int Attempt, HttpStatusCode? Status);
