using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// What the simulated shop holds: locations, orders (kept in the REST/webhook shape tests give them in), products with
/// variants and inventory, order metafields and webhook subscriptions. Ids start above 2^53 so that any reader that
/// goes through a double gets them wrong.
/// </summary>
public sealed partial class ShopifyShopState
{
    private long _nextId = 9_007_199_254_740_993;
    private readonly Dictionary<long, JsonObject> _orders = [];
    private readonly List<SimulatedLocation> _locations = [];
    private readonly List<SimulatedInventoryItem> _items = [];
    private readonly Dictionary<long, SimulatedInventoryItem> _itemsById = [];
    private readonly Dictionary<string, SimulatedInventoryItem> _itemsBySku = new(StringComparer.Ordinal);
    private readonly Dictionary<long, SimulatedProduct> _products = [];
    private readonly List<SimulatedWebhookSubscription> _subscriptions = [];
    private readonly Dictionary<(long Order, string Namespace, string Key), string> _metafields = [];

    internal Lock Gate { get; } = new();

    public ShopifyShopState()
    {
        _locations.Add(new SimulatedLocation(NextId(), "Main warehouse"));
    }

    public IReadOnlyList<SimulatedLocation> Locations { get { lock (Gate) { return [.. _locations]; } } }

    public IReadOnlyList<SimulatedWebhookSubscription> WebhookSubscriptions { get { lock (Gate) { return [.. _subscriptions]; } } }

    public IReadOnlyList<SimulatedInventoryItem> InventoryItems { get { lock (Gate) { return [.. _items]; } } }

    public SimulatedLocation AddLocation(string name)
    {
        lock (Gate)
        {
            var location = new SimulatedLocation(NextId(), name);
            _locations.Add(location);
            return location;
        }
    }

    /// <summary>
    /// Adds or replaces an order given in the REST/webhook shape (e.g. a fixture). Its ids are taken from the
    /// <c>admin_graphql_api_id</c> gids when present, since copies of Shopify's examples carry rounded numbers.
    /// </summary>
    public long AddOrder(string restJson) => AddOrder(JsonNode.Parse(restJson)!.AsObject());

    public long AddOrder(JsonObject order)
    {
        lock (Gate)
        {
            var copy = order.DeepClone().AsObject();
            var id = IdOf(copy, "Order") ?? NextId();
            copy["id"] = id;
            copy["admin_graphql_api_id"] = "gid://shopify/Order/" + id.ToString(CultureInfo.InvariantCulture);
            foreach (var line in (copy["line_items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                line["id"] = IdOf(line, "LineItem") ?? NextId();
            }

            if (copy["customer"] is JsonObject customer)
            {
                customer["id"] = IdOf(customer, "Customer") ?? NextId();
                KeepCustomer(customer);
            }

            copy["updated_at"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            _orders[id] = copy;
            return id;
        }
    }

    /// <summary>The order as stored (REST shape), or null.</summary>
    public JsonObject? Order(long id)
    {
        lock (Gate)
        {
            return _orders.TryGetValue(id, out var order) ? order.DeepClone().AsObject() : null;
        }
    }

    internal IEnumerable<JsonObject> OrderList => _orders.Values;

    /// <summary>The stored order itself (callers hold <see cref="Gate"/>), or null.</summary>
    internal JsonObject? StoredOrder(long id) => _orders.GetValueOrDefault(id);

    /// <summary>A product (ACTIVE) with one variant (and inventory item, 0 available everywhere, price 0.00) per SKU.</summary>
    public IReadOnlyList<SimulatedInventoryItem> AddProduct(string title, params string[] skus)
    {
        lock (Gate)
        {
            var product = new SimulatedProduct(NextId(), title);
            _products[product.Id] = product;
            var added = skus.Select(sku => new SimulatedInventoryItem(NextId(), sku, NextId(), product.Id, title)).ToList();
            product.VariantIds.AddRange(added.Select(v => v.VariantId));
            product.Options.Add(new SimulatedOption("Title", [.. skus.Length == 1 ? ["Default Title"] : skus]));
            foreach (var item in added)
            {
                item.OptionValues.Add(("Title", skus.Length == 1 ? "Default Title" : item.Sku));
            }

            foreach (var item in added)
            {
                foreach (var location in _locations)
                {
                    item.Available[location.Id] = 0;
                }

                _itemsById[item.Id] = item;
                _itemsBySku.TryAdd(item.Sku, item);
            }

            _items.AddRange(added);
            return added;
        }
    }

    /// <summary>Deletes a product and its variants (the store's catalogue changed behind the connector's back).</summary>
    public void DeleteProduct(long productId)
    {
        lock (Gate)
        {
            _products.Remove(productId);
            foreach (var item in _items.Where(i => i.ProductId == productId).ToList())
            {
                _items.Remove(item);
                _itemsById.Remove(item.Id);
                _itemsBySku.Remove(item.Sku);
            }
        }
    }

    /// <summary>The product's status (ACTIVE, DRAFT, ARCHIVED), or null when there is no such product.</summary>
    public string? ProductStatus(long productId)
    {
        lock (Gate)
        {
            return _products.TryGetValue(productId, out var product) ? product.Status : null;
        }
    }

    /// <summary>The variant (with its inventory item, price and compare-at price) of a SKU, or null.</summary>
    /// <summary>A person changes a variant's price and compare-at (was) price in Shopify admin.</summary>
    public void EditPrice(string sku, string price, string? compareAtPrice)
    {
        lock (Gate)
        {
            var variant = _items.First(v => v.Sku == sku);
            (variant.Price, variant.CompareAtPrice) = (price, compareAtPrice);
        }
    }

    /// <summary>
    /// SKUs whose price the store refuses to change (INVALID_INPUT, as for a price a market's price rule or an app's
    /// validation turns down): a test's stand-in for a price the store will not take.
    /// </summary>
    public HashSet<string> PricesRefused { get; } = [];

    public SimulatedInventoryItem? Variant(string sku)
    {
        lock (Gate)
        {
            return _itemsBySku.GetValueOrDefault(sku);
        }
    }

    /// <summary>Units available of a SKU at a location (the first location when none is named); null when not stocked there.</summary>
    public int? Available(string sku, long? locationId = null)
    {
        lock (Gate)
        {
            var item = _itemsBySku.GetValueOrDefault(sku);
            return item is not null && item.Available.TryGetValue(locationId ?? _locations[0].Id, out var units) ? units : null;
        }
    }

    public string? Metafield(long orderId, string ns, string key)
    {
        lock (Gate)
        {
            return _metafields.TryGetValue((orderId, ns, key), out var value) ? value : null;
        }
    }

    internal SimulatedInventoryItem? ItemById(long id) => _itemsById.GetValueOrDefault(id);

    internal SimulatedInventoryItem? ItemBySku(string sku) => _itemsBySku.GetValueOrDefault(sku);

    internal SimulatedProduct? ProductById(long id) => _products.GetValueOrDefault(id);

    /// <summary>Variants in id order (the catalogue's page order).</summary>
    internal IEnumerable<SimulatedInventoryItem> VariantList => _items;

    internal void SetMetafield(long orderId, string ns, string key, string value) => _metafields[(orderId, ns, key)] = value;

    /// <summary>Shopify deletes a subscription after 8 failed deliveries: the test removes one the same way.</summary>
    public bool RemoveWebhookSubscription(string topic)
    {
        lock (Gate)
        {
            return _subscriptions.RemoveAll(s => s.Topic == topic) > 0;
        }
    }

    internal SimulatedWebhookSubscription AddSubscription(string topic, string uri)
    {
        var subscription = new SimulatedWebhookSubscription(NextId(), topic, uri);
        _subscriptions.Add(subscription);
        return subscription;
    }

    internal long NextId() => _nextId++;

    private static long? IdOf(JsonObject node, string type) =>
        node["admin_graphql_api_id"]?.GetValue<string>() is { } gid && gid.StartsWith("gid://shopify/" + type + "/", StringComparison.Ordinal)
            && long.TryParse(gid[(gid.LastIndexOf('/') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : node["id"] is JsonValue value && value.TryGetValue<long>(out var number) ? number
        : null;
}

public sealed record SimulatedLocation(long Id, string Name);

public sealed record SimulatedWebhookSubscription(long Id, string Topic, string Uri);

/// <summary>A variant and its inventory item: SKU, units available per location id, price and compare-at price.</summary>
public sealed record SimulatedInventoryItem(long Id, string Sku, long VariantId, long ProductId, string ProductTitle)
{
    public Dictionary<long, int> Available { get; } = [];

    /// <summary>The variant's price (Shopify's Money: a decimal string).</summary>
    public string Price { get; internal set; } = "0.00";

    /// <summary>The was-price; null when the variant is not on sale.</summary>
    public string? CompareAtPrice { get; internal set; }

    /// <summary>The variant's value of each product option, in the options' order.</summary>
    public List<(string Option, string Value)> OptionValues { get; init; } = [];

    public string? Barcode { get; internal set; }

    /// <summary>The product medium shown for this variant, if any.</summary>
    public long? MediaId { get; internal set; }

    /// <summary>Shopify tracks the inventory of this variant.</summary>
    public bool Tracked { get; internal set; } = true;
}

