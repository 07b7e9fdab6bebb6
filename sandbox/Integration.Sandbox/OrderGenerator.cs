using System.Globalization;
using System.Net;

namespace Integration.Sandbox;

/// <summary>
/// Places realistic orders in the simulated stores and has each store deliver its signed webhook to the host, exactly as
/// the stores do: the order is in the store first (the host reads it back), then <c>orders/create</c> (Shopify) or
/// <c>order.created</c> (WooCommerce) is posted. Every fourth order is a WooCommerce one.
/// </summary>
public sealed class OrderGenerator : IDisposable
{
    private readonly SandboxStores _stores;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly HttpClient _storeHttp;
    private readonly IReadOnlyList<DemoShopper> _shopifyShoppers;
    private readonly IReadOnlyList<DemoShopper> _wooShoppers;
    private readonly Dictionary<string, long> _wooProducts;
    private long _nextShopifyId;
    private long _nextWooId;
    private int _placed;

    public OrderGenerator(SandboxStores stores, string hostUrl, TimeProvider time, int seed)
    {
        _stores = stores;
        _time = time;
        _random = new Random(seed);
        // The stores post without the operator key: webhooks authenticate by signature only.
        _storeHttp = new HttpClient { BaseAddress = new Uri(hostUrl), Timeout = TimeSpan.FromSeconds(30) };
        // Ids that grow with the clock, so a sandbox restarted on the same database never reuses an order id.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _nextShopifyId = (now % 1_000_000_000_000) * 100 + 5_000_000_000_000_000;
        _nextWooId = (now / 1000) - 1_700_000_000;
        _shopifyShoppers = DemoShopper.Pool("shopify", 7_000_000_000_000 + (now % 1_000_000_000), 20, _random);
        _wooShoppers = DemoShopper.Pool("woo", 10_000 + (now % 1_000_000), 12, _random);
        _wooProducts = stores.Woo.State.Products.Where(p => (string?)p["sku"] is not null)
            .ToDictionary(p => (string)p["sku"]!, p => (long)p["id"]!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Places the next order and delivers its webhook; the order tells what the host answered. Once an order is in the
    /// store its delivery is not cancelled, so every order placed is one the caller gets back.
    /// </summary>
    public async Task<DemoOrder> PlaceAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var woo = Interlocked.Increment(ref _placed) % 4 == 0;
        return woo ? await PlaceWooAsync(CancellationToken.None) : await PlaceShopifyAsync(CancellationToken.None);
    }

    private async Task<DemoOrder> PlaceShopifyAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Add(ref _nextShopifyId, 100);
        var name = "#" + (1000 + (id / 100 % 9_000_000)).ToString(CultureInfo.InvariantCulture);
        var withCode = _random.Next(5) == 0;
        var lines = Lines(withCode ? 0.10m : 0m);
        var shopper = _random.Next(6) == 0 ? null : _shopifyShoppers[_random.Next(_shopifyShoppers.Count)];
        var body = ShopifyOrderJson.Build(id, name, lines, shopper, withCode ? "WELCOME10" : null, cod: _random.Next(5) == 0, _stores.Shopify.State.Variant, _time.GetUtcNow());
        var order = new DemoOrder("shopify", SandboxStores.ShopifyStore, id, name, lines, ShopifyOrderJson.Total(lines));
        _stores.Shopify.State.AddOrder(body);
        var delivery = await _stores.Shopify.Webhooks.SendAsync("orders/create", body, "/webhooks/shopify", _storeHttp, cancellationToken: cancellationToken);
        var last = _stores.Shopify.Webhooks.Attempts.LastOrDefault(a => a.WebhookId == delivery.WebhookId);
        order.WebhookStatus = last?.Status is { } status ? (int)status : null;
        return order;
    }

    private async Task<DemoOrder> PlaceWooAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextWooId);
        var lines = Lines(0m);
        var shopper = _wooShoppers[_random.Next(_wooShoppers.Count)];
        _stores.Woo.State.PutCustomer(WooOrderJson.Customer(shopper));
        _stores.Woo.State.PutOrder(WooOrderJson.Build(id, lines, shopper, sku => _wooProducts.GetValueOrDefault(sku), _time.GetUtcNow()));
        var order = new DemoOrder("woocommerce", SandboxStores.WooStore, id, "#" + id.ToString(CultureInfo.InvariantCulture), lines, WooOrderJson.Total(lines));
        var deliveries = await _stores.Woo.Webhooks.TriggerAsync("order.created", id, cancellationToken: cancellationToken);
        order.WebhookStatus = deliveries.Count == 0 ? null : deliveries[^1].Status is { } status ? (int)status : (int)HttpStatusCode.ServiceUnavailable;
        return order;
    }

    /// <summary>One to three different items, one to three of each; a discount code takes <paramref name="discount"/> off each line.</summary>
    private List<DemoOrderLine> Lines(decimal discount)
    {
        var items = DemoCatalogue.Items;
        return [.. Enumerable.Range(0, _random.Next(1, 4))
            .Select(_ => items[_random.Next(items.Count)])
            .DistinctBy(i => i.Sku)
            .Select(item =>
            {
                var qty = _random.Next(1, 4);
                return new DemoOrderLine(item, qty, Money.Round(qty * item.Price * discount));
            })];
    }

    public void Dispose() => _storeHttp.Dispose();
}
