using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.WooCommerce;

/// <summary>
/// What the simulated store holds, in the REST v3 shapes: orders (with notes and refunds), customers, products with
/// variations, categories and webhooks. Every change stamps <c>date_modified_gmt</c>, as WooCommerce does.
/// </summary>
public sealed partial class WooCommerceStoreState(TimeProvider time)
{
    private long _nextId = 1000;
    private readonly SortedDictionary<long, JsonObject> _orders = [];
    private readonly SortedDictionary<long, JsonObject> _customers = [];
    private readonly SortedDictionary<long, JsonObject> _products = [];
    private readonly Dictionary<long, SortedDictionary<long, JsonObject>> _variations = [];
    private readonly SortedDictionary<long, JsonObject> _categories = [];
    private readonly SortedDictionary<long, SimulatedWooWebhook> _webhooks = [];
    private readonly Dictionary<long, List<JsonObject>> _notes = [];
    private readonly Dictionary<long, List<JsonObject>> _refunds = [];
    private readonly SortedDictionary<long, string> _media = [];
    private readonly Dictionary<string, (string Code, string Message)> _refusedSkus = new(StringComparer.Ordinal);

    internal Lock Gate { get; } = new();

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal DateTime UtcNow() => time.GetUtcNow().UtcDateTime;

    internal string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A GMT stamp (<see cref="Now"/>'s text) in the site's time zone, as WooCommerce writes the <c>date_*</c> beside each <c>date_*_gmt</c>.</summary>
    internal string Local(string gmt) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(DateTime.Parse(gmt, CultureInfo.InvariantCulture), DateTimeKind.Utc), time.LocalTimeZone)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Adds or replaces an order (v3 shape, e.g. a fixture); a missing id or line id is given one. Returns the order id.</summary>
    public long PutOrder(string json) => PutOrder(JsonNode.Parse(json)!.AsObject());

    public long PutOrder(JsonObject order)
    {
        lock (Gate)
        {
            var copy = order.DeepClone().AsObject();
            var id = (long?)copy["id"] is long given && given > 0 ? given : NextId();
            copy["id"] = id;
            foreach (var line in new[] { "line_items", "shipping_lines", "fee_lines", "coupon_lines", "tax_lines" }.SelectMany(k => (copy[k] as JsonArray ?? []).OfType<JsonObject>()))
            {
                if ((long?)line["id"] is not > 0)
                {
                    line["id"] = NextId();
                }
            }

            copy["date_created_gmt"] ??= Now();
            copy["date_modified_gmt"] = Now();
            _orders[id] = copy;
            return id;
        }
    }

    public JsonObject? Order(long id)
    {
        lock (Gate)
        {
            return _orders.TryGetValue(id, out var order) ? order.DeepClone().AsObject() : null;
        }
    }

    public IReadOnlyList<JsonObject> Orders { get { lock (Gate) { return [.. _orders.Values.Select(o => o.DeepClone().AsObject())]; } } }

    /// <summary>Changes an order's status (as the merchant or a gateway would), stamping its modification time (now, or <paramref name="modifiedAt"/>).</summary>
    public void SetOrderStatus(long id, string status, DateTimeOffset? modifiedAt = null)
    {
        lock (Gate)
        {
            var order = _orders[id];
            if (status == "refunded" && Money(order["total"]) - Refunded(order) > 0.001m)
            {
                // wc_order_fully_refunded: the rest is refunded with no items (no restock, no gateway).
                Refund(id, [], Money(order["total"]) - Refunded(order), "Order fully refunded.", restock: false);
            }

            order["status"] = status;
            var gmt = modifiedAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : Now();
            order["date_modified_gmt"] = gmt;
            order["date_modified"] = Local(gmt);
        }
    }

    /// <summary>Deletes an order for good (the API then answers 404 for it).</summary>
    public bool DeleteOrder(long id)
    {
        lock (Gate)
        {
            return _orders.Remove(id);
        }
    }

    public IReadOnlyList<JsonObject> OrderNotes(long id) { lock (Gate) { return [.. (_notes.GetValueOrDefault(id) ?? []).Select(n => n.DeepClone().AsObject())]; } }

    public IReadOnlyList<JsonObject> Refunds(long id) { lock (Gate) { return [.. (_refunds.GetValueOrDefault(id) ?? []).Select(r => r.DeepClone().AsObject())]; } }

    public long PutCustomer(string json) => PutCustomer(JsonNode.Parse(json)!.AsObject());

    public long PutCustomer(JsonObject customer)
    {
        lock (Gate)
        {
            var copy = customer.DeepClone().AsObject();
            var id = (long?)copy["id"] is long given && given > 0 ? given : NextId();
            copy["id"] = id;
            copy["date_created_gmt"] ??= Now();
            copy["date_modified_gmt"] = Now();
            _customers[id] = copy;
            return id;
        }
    }

    public JsonObject? Customer(long id) { lock (Gate) { return _customers.TryGetValue(id, out var c) ? c.DeepClone().AsObject() : null; } }

    public long PutProduct(JsonObject product)
    {
        lock (Gate)
        {
            var copy = product.DeepClone().AsObject();
            var id = (long?)copy["id"] is long given && given > 0 ? given : NextId();
            copy["id"] = id;
            copy["type"] ??= "simple";
            copy["status"] ??= "publish";
            copy["date_modified_gmt"] = Now();
            _products[id] = copy;
            return id;
        }
    }

    public JsonObject? Product(long id) { lock (Gate) { return _products.TryGetValue(id, out var p) ? p.DeepClone().AsObject() : null; } }

    /// <summary>Deletes a product (the store's catalogue changed behind the connector's back); false when there was none.</summary>
    public bool DeleteProduct(long id) { lock (Gate) { return _products.Remove(id); } }

    public IReadOnlyList<JsonObject> Products { get { lock (Gate) { return [.. _products.Values.Select(p => p.DeepClone().AsObject())]; } } }

    public long PutVariation(long productId, JsonObject variation)
    {
        lock (Gate)
        {
            var copy = variation.DeepClone().AsObject();
            var id = (long?)copy["id"] is long given && given > 0 ? given : NextId();
            copy["id"] = id;
            copy["parent_id"] = productId;
            copy["date_modified_gmt"] = Now();
            (_variations.TryGetValue(productId, out var of) ? of : _variations[productId] = [])[id] = copy;
            return id;
        }
    }

    public IReadOnlyList<JsonObject> Variations(long productId) { lock (Gate) { return [.. (_variations.TryGetValue(productId, out var of) ? of.Values.AsEnumerable() : []).Select(v => v.DeepClone().AsObject())]; } }

    public IReadOnlyList<JsonObject> Categories { get { lock (Gate) { return [.. _categories.Values.Select(c => c.DeepClone().AsObject())]; } } }

    /// <summary>The merchant deletes a product category in WooCommerce's admin.</summary>
    public void DeleteCategory(long id)
    {
        lock (Gate)
        {
            _categories.Remove(id);
        }
    }

    public IReadOnlyList<SimulatedWooWebhook> Webhooks { get { lock (Gate) { return [.. _webhooks.Values]; } } }

    /// <summary>Registers a webhook as the merchant would in WooCommerce's settings (no ping).</summary>
    public SimulatedWooWebhook AddWebhook(string topic, string deliveryUrl, string secret, string status = "active")
    {
        lock (Gate)
        {
            var webhook = new SimulatedWooWebhook
            {
                Id = NextId(), Name = "Webhook " + topic, Topic = topic, DeliveryUrl = deliveryUrl, Secret = secret, Status = status,
                Created = time.GetUtcNow(), PendingDelivery = false,
            };
            _webhooks[webhook.Id] = webhook;
            return webhook;
        }
    }

    /// <summary>Makes batch writes of a SKU fail with this error (a plugin's validation, a locked product).</summary>
    public void RefuseSku(string sku, string code = "product_invalid_sku", string message = "Invalid or duplicated SKU.")
    {
        lock (Gate)
        {
            _refusedSkus[sku] = (code, message);
        }
    }

    /// <summary>The store takes changes of the SKU again (the plugin's lock lifted).</summary>
    public void AcceptSku(string sku)
    {
        lock (Gate)
        {
            _refusedSkus.Remove(sku);
        }
    }

    internal SortedDictionary<long, JsonObject> OrderTable => _orders;

    internal SortedDictionary<long, JsonObject> CustomerTable => _customers;

    internal SortedDictionary<long, JsonObject> ProductTable => _products;

    internal SortedDictionary<long, JsonObject> VariationTable(long productId) => _variations.TryGetValue(productId, out var of) ? of : _variations[productId] = [];

    internal SortedDictionary<long, JsonObject> CategoryTable => _categories;

    /// <summary>The media library: attachment id to the URL it was sideloaded from.</summary>
    internal SortedDictionary<long, string> MediaTable => _media;

    /// <summary>How many images the store has sideloaded (each <c>src</c> given is downloaded again as a new attachment).</summary>
    public int MediaCount { get { lock (Gate) { return _media.Count; } } }

    internal SortedDictionary<long, SimulatedWooWebhook> WebhookTable => _webhooks;

    internal List<JsonObject> NoteList(long orderId) => _notes.TryGetValue(orderId, out var of) ? of : _notes[orderId] = [];

    internal List<JsonObject> RefundList(long orderId) => _refunds.TryGetValue(orderId, out var of) ? of : _refunds[orderId] = [];

    internal (string Code, string Message)? Refused(string? sku) => sku is not null && _refusedSkus.TryGetValue(sku, out var refusal) ? refusal : null;
}
