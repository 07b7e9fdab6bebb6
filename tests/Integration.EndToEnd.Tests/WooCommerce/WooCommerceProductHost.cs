using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce store in Cairo whose products the ERP masters (<c>SyncProducts</c>) and whose prices are the ERP's
/// price list <see cref="PriceList"/>: items, images, statuses, prices and promotions changed through the ERP's API
/// reach the simulator through <c>woocommerce-item-sync</c> and <c>woocommerce-prices</c>. The host's and the store's
/// clock can be moved forward (<see cref="Clock"/>); it runs the schedules.
/// </summary>
public class WooCommerceProductHost : WooCommerceStoreHost
{
    public const string PriceList = "WEB";
    public const string TimeZoneId = "Africa/Cairo";

    public WooCommerceProductHost()
    {
        Woo.Options.TimeZone = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);
        Woo.Options.Time = Clock;
    }

    public ShiftedClock Clock { get; } = new();

    protected override bool Schedules => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:WooCommerce:Stores:0:PriceList", PriceList),
        new("Connectors:WooCommerce:Stores:0:TimeZone", TimeZoneId),
        new("Connectors:WooCommerce:Stores:0:SyncProducts", "true"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Ok(PostAsync("/api/erp/price-lists", new { company = "EG01", id = PriceList, name = "Web shop", currency = "EGP" }));
    }

    /// <summary>An ERP image of a URL: its checksum stands for the bytes the URL serves.</summary>
    public static object Image(string url, string? alt = null) =>
        new { url, checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))), altText = alt };

    public async Task ItemAsync(object item) => await Ok(PostAsync("/api/erp/items", item));

    /// <summary>Waits until the ERP's events so far are handed to the flows (the outbox runs them in order, one by one).</summary>
    public Task SettledAsync() => ShopifyStoreHost.EventuallyAsync(
        async () => await CountAsync("SELECT count(*) FROM integration.outbox WHERE status = 'pending'") == 0, "the ERP's events are dispatched");

    /// <summary>The store's product with this SKU (not a variation); null when it has none.</summary>
    public JsonObject? Product(string sku) => Woo.State.Products.SingleOrDefault(p => (string?)p["sku"] == sku);

    /// <summary>The store's variation with this SKU, and its product's id.</summary>
    public JsonObject? Variation(string sku) => Woo.State.Products.Where(p => (string?)p["type"] == "variable")
        .SelectMany(p => Woo.State.Variations((long)p["id"]!)).SingleOrDefault(v => (string?)v["sku"] == sku);

    /// <summary>The product or variation with this SKU.</summary>
    public JsonObject Priced(string sku) => Product(sku) ?? Variation(sku) ?? throw new InvalidOperationException($"The store has no SKU {sku}.");

    /// <summary>The runs with a correlation id, in full (journal, output), newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string correlationId)
    {
        var details = new List<JsonElement>();
        foreach (var run in (await GetJsonAsync($"/api/runs?correlationId={Uri.EscapeDataString(correlationId)}")).EnumerateArray())
        {
            details.Add(await GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}"));
        }

        return details;
    }

    /// <summary>The runs of a flow in full, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> FlowRunsAsync(string flow)
    {
        var details = new List<JsonElement>();
        foreach (var run in (await GetJsonAsync($"/api/runs?definitionId={flow}&limit=500")).EnumerateArray())
        {
            details.Add(await GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}"));
        }

        return details;
    }
}
