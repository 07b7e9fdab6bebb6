using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store whose products the ERP masters (<c>SyncProducts</c>): items created, changed, given images or put on hold
/// in the ERP reach the simulator's products through <c>shopify-item-sync</c>. Its main location is MAIN-WH.
/// </summary>
public class ShopifyProductHost : ShopifyStoreHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Shopify:Stores:0:SyncProducts", "true"),
        new("Connectors:Shopify:Stores:0:ProductSyncDebounce", Debounce.ToString("c", CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:LocationId", Shopify.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:Warehouse", "MAIN-WH"),
    ];

    /// <summary>An ERP image of a URL: its checksum stands for the bytes the URL serves.</summary>
    public static object Image(string url, string? alt = null) =>
        new { url, checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))), altText = alt };

    /// <summary>How long a product's sync waits for more changes of the product (short, so the tests go quickly).</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Waits until the ERP's events so far are handed to the flows (the outbox runs them in order, one by one) and the
    /// product syncs waiting for more changes have written or stepped aside.
    /// </summary>
    public Task SettledAsync() => EventuallyAsync(async () =>
        await CountAsync("SELECT count(*) FROM integration.outbox WHERE status = 'pending'") == 0
        && await CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'shopify-item-sync-store' AND status IN ('Running', 'Suspended')") == 0,
        "the ERP's events are dispatched and the product syncs done");

    /// <summary>The runs of shopify-item-sync for a product (its template's SKU), the latest ERP event's first.</summary>
    public async Task<IReadOnlyList<JsonElement>> ProductRunsAsync(string productSku) =>
        ErpEventRuns.LatestEventFirst(await RunsAsync($"shopify:{Store}:product:{productSku}"));

    /// <summary>The run of shopify-item-sync for a product's latest ERP event, which must have finished.</summary>
    public async Task<JsonElement> LastSyncAsync(string productSku)
    {
        var run = (await ProductRunsAsync(productSku))[0];
        Assert.True(run.GetProperty("status").GetString() == "Finished", run.ToString());
        return run;
    }

    /// <summary>The simulator's product holding a SKU.</summary>
    public Simulators.Shopify.SimulatedProductView ProductOf(string sku) =>
        Shopify.State.Product(Shopify.State.Variant(sku)?.ProductId ?? throw new InvalidOperationException($"The store has no SKU {sku}."))!;

    public async Task ItemAsync(object item) => await Ok(PostAsync("/api/erp/items", item));
}
