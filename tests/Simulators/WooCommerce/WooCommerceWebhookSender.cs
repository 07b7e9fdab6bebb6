using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Simulators.WooCommerce;

/// <summary>
/// Sends webhooks the way WooCommerce does: one POST per active webhook of the topic, the body built from the store's
/// state when it is delivered (so it may be newer than the event), compact JSON with <c>/</c> escaped, <c>X-WC-Webhook-*</c>
/// headers and the base64 HMAC-SHA256 of the body under the webhook's secret. No retries by default (WooCommerce makes
/// none); a failed delivery counts against the webhook, which is disabled after <c>MaxDeliveryFailures</c> in a row.
/// The creation ping is an unsigned form body <c>webhook_id=N</c>.
/// </summary>
public sealed class WooCommerceWebhookSender(WooCommerceSimulator store) : IDisposable
{
    private readonly HttpClient _own = new();
    private readonly List<SimulatedWooDelivery> _attempts = [];

    /// <summary>
    /// Where deliveries go: when set (an in-memory test host), the delivery URL's path on this client; otherwise the
    /// delivery URL itself.
    /// </summary>
    public HttpClient? Target { get; set; }

    /// <summary>Extra attempts after a failed one (WooCommerce makes none; a queue plugin may).</summary>
    public int Retries { get; set; }

    /// <summary>The wait before each extra attempt.</summary>
    public TimeSpan RetryDelay { get; set; }

    /// <summary>Every attempt made, pings included, in order.</summary>
    public IReadOnlyList<SimulatedWooDelivery> Attempts { get { lock (_attempts) { return [.. _attempts]; } } }

    /// <summary>Delivers <paramref name="topic"/> for a resource to every active webhook of that topic, with the resource as the store has it now.</summary>
    public async Task<IReadOnlyList<SimulatedWooDelivery>> TriggerAsync(string topic, long resourceId, int copies = 1, CancellationToken cancellationToken = default)
    {
        var body = Payload(topic, resourceId) ?? throw new InvalidOperationException($"The store has no {topic.Split('.')[0]} {resourceId}.");
        var sent = new List<SimulatedWooDelivery>();
        foreach (var webhook in store.State.Webhooks.Where(w => w.Topic == topic && w.Status == "active"))
        {
            for (var copy = 0; copy < copies; copy++)
            {
                sent.Add(await DeliverAsync(webhook, body, cancellationToken));
            }
        }

        return sent;
    }

    /// <summary>Sends a given body (an older or forged payload) to one webhook, signed with <paramref name="signWith"/> or its secret.</summary>
    public Task<SimulatedWooDelivery> SendAsync(SimulatedWooWebhook webhook, string body, string? signWith = null, CancellationToken cancellationToken = default) =>
        DeliverAsync(webhook, body, cancellationToken, signWith);

    /// <summary>Delivers events in the reverse of the order they happened (nothing orders WooCommerce's deliveries).</summary>
    public async Task SendOutOfOrderAsync(IEnumerable<(string Topic, long ResourceId)> happened, CancellationToken cancellationToken = default)
    {
        foreach (var (topic, id) in happened.Reverse())
        {
            await TriggerAsync(topic, id, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The body WooCommerce would send for <paramref name="topic"/> now: <c>trim(wp_json_encode($payload))</c>.</summary>
    public string? Payload(string topic, long resourceId)
    {
        // WooCommerce sends a deleted (or trashed) resource as its id alone.
        if (topic.EndsWith(".deleted", StringComparison.Ordinal))
        {
            return Encode(new JsonObject { ["id"] = resourceId });
        }

        var resource = topic.Split('.')[0] switch
        {
            "order" => store.State.Order(resourceId),
            "customer" => store.State.Customer(resourceId),
            "product" => store.State.Product(resourceId),
            _ => null,
        };
        return resource is null ? null : Encode(resource);
    }

    /// <summary>JSON as WordPress encodes it: compact, with <c>/</c> escaped.</summary>
    public static string Encode(JsonNode node) => node.ToJsonString().Replace("/", "\\/", StringComparison.Ordinal);

    public static string Sign(string body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(secret)), Encoding.UTF8.GetBytes(body)));

    // Sent after the creating request was answered by the state (outside its lock), and waited for, as WooCommerce does.
    internal void Ping(SimulatedWooWebhook webhook) => Task.Run(() => PingAsync(webhook)).GetAwaiter().GetResult();

    private async Task PingAsync(SimulatedWooWebhook webhook)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address(webhook.DeliveryUrl))
        {
            Content = new StringContent("webhook_id=" + webhook.Id, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.UserAgent.ParseAdd($"WooCommerce/{store.Options.Version} Hookshot (WordPress/6.7.1)");
        var status = await SendAsync(request, CancellationToken.None);
        if (status == HttpStatusCode.OK)
        {
            webhook.PendingDelivery = false;
        }

        Record(new SimulatedWooDelivery(webhook.Id, "action.ping", null, 1, status, "webhook_id=" + webhook.Id));
    }

    private async Task<SimulatedWooDelivery> DeliverAsync(SimulatedWooWebhook webhook, string body, CancellationToken cancellationToken, string? signWith = null)
    {
        SimulatedWooDelivery last = null!;
        for (var attempt = 1; attempt <= 1 + Retries; attempt++)
        {
            var parts = webhook.Topic.Split('.', 2);
            // A new delivery id every attempt: wp_hash(webhook id . time).
            var deliveryId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            using var request = new HttpRequestMessage(HttpMethod.Post, Address(webhook.DeliveryUrl)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.ContentType = new("application/json") { CharSet = "UTF-8" };
            request.Headers.Add("X-WC-Webhook-Source", store.Options.SiteUrl.TrimEnd('/') + "/");
            request.Headers.Add("X-WC-Webhook-Topic", webhook.Topic);
            request.Headers.Add("X-WC-Webhook-Resource", parts[0]);
            request.Headers.Add("X-WC-Webhook-Event", parts.Length > 1 ? parts[1] : "");
            request.Headers.Add("X-WC-Webhook-Signature", Sign(body, signWith ?? webhook.Secret));
            request.Headers.Add("X-WC-Webhook-ID", webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-WC-Webhook-Delivery-ID", deliveryId);
            request.Headers.UserAgent.ParseAdd($"WooCommerce/{store.Options.Version} Hookshot (WordPress/6.7.1)");
            var status = await SendAsync(request, cancellationToken);
            last = new SimulatedWooDelivery(webhook.Id, webhook.Topic, deliveryId, attempt, status, body);
            Record(last);
            lock (store.State.Gate)
            {
                if (status is { } s && (int)s is >= 200 and < 300)
                {
                    webhook.FailureCount = 0;
                }
                else if (++webhook.FailureCount > store.Options.MaxDeliveryFailures)
                {
                    // WC_Webhook::failed_delivery: too many failures in a row and the webhook is disabled, silently.
                    webhook.Status = "disabled";
                }
            }

            if (status is { } ok && (int)ok is >= 200 and < 300)
            {
                break;
            }

            if (attempt <= Retries && RetryDelay > TimeSpan.Zero)
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }

        return last;
    }

    private Uri Address(string deliveryUrl) =>
        Target is null ? new Uri(deliveryUrl) : new Uri(new Uri(deliveryUrl).PathAndQuery, UriKind.Relative);

    private async Task<HttpStatusCode?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await (Target ?? _own).SendAsync(request, cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // unreachable: a failed delivery
        }
    }

    private void Record(SimulatedWooDelivery delivery)
    {
        lock (_attempts)
        {
            _attempts.Add(delivery);
        }
    }

    public void Dispose() => _own.Dispose();
}

/// <summary>One attempt to deliver a webhook (topic <c>action.ping</c> for a creation ping), its body and the status it got (null: unreachable).</summary>
public sealed record SimulatedWooDelivery(long WebhookId, string Topic, string? DeliveryId, int Attempt, HttpStatusCode? Status, string Body);
