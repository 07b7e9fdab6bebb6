using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.WooCommerce;

/// <summary>A webhook of the simulated store: its topic, where it delivers, the secret it signs with, and its health.</summary>
public sealed class SimulatedWooWebhook
{
    public long Id { get; init; }

    public string Name { get; set; } = "";

    public string Topic { get; set; } = "";

    public string DeliveryUrl { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary><c>active</c>, <c>paused</c> or <c>disabled</c> (WooCommerce's status after too many failed deliveries).</summary>
    public string Status { get; set; } = "active";

    /// <summary>Failed deliveries in a row (WooCommerce's <c>failure_count</c>).</summary>
    public int FailureCount { get; set; }

    public bool PendingDelivery { get; set; } = true;

    public DateTimeOffset Created { get; init; }

    internal JsonObject ToJson()
    {
        var parts = Topic.Split('.', 2);
        var at = Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["status"] = Status,
            ["topic"] = Topic,
            ["resource"] = parts[0],
            ["event"] = parts.Length > 1 ? parts[1] : "",
            ["hooks"] = new JsonArray("woocommerce_" + Topic.Replace('.', '_')),
            ["delivery_url"] = DeliveryUrl,
            ["date_created"] = at,
            ["date_created_gmt"] = at,
            ["date_modified"] = at,
            ["date_modified_gmt"] = at,
        };
    }
}
