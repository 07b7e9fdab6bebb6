using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// Compared writes (the nightly full uploads): before a batch write, what the store shows of its items is read by id
/// (<c>include</c>, only the <c>_fields</c> compared; simple products 100 a request, variations through their product),
/// and only the items it shows otherwise are written, so an upload does not save every product again (a WooCommerce
/// save runs every plugin's hooks).
/// </summary>
internal static class StoreComparison
{
    /// <summary>
    /// Keeps in <paramref name="products"/> and <paramref name="variations"/> (by their product) the updates
    /// <paramref name="differs"/> says the store shows otherwise (it sees the SKU, the update and what the store shows);
    /// an item the read does not return is kept, so its write reports it gone. Returns the requests that read.
    /// </summary>
    public static async Task<int> KeepDifferingAsync(
        WooCommerceClient client, List<(string Sku, JsonObject Update)> products, Dictionary<long, List<(string Sku, JsonObject Update)>> variations,
        string fields, Func<string, JsonObject, JsonObject, bool> differs, CancellationToken cancellationToken)
    {
        var reads = 0;
        async Task<List<(string Sku, JsonObject Update)>> DifferingAsync(
            string operation, List<(string Sku, JsonObject Update)> items, Func<IWooCommerceApi, string, int, CancellationToken, Task<HttpResponseMessage>> list)
        {
            var differing = new List<(string Sku, JsonObject Update)>();
            foreach (var chunk in items.Chunk(WooCommerceClient.MaxPageSize))
            {
                var ids = string.Join(',', chunk.Select(i => Id(i.Update).ToString(CultureInfo.InvariantCulture)));
                var read = await client.CallAsync(operation, (api, ct) => list(api, ids, chunk.Length, ct), cancellationToken);
                reads++;
                var shown = read.AsArray().OfType<JsonObject>().ToDictionary(o => (long)o["id"]!);
                differing.AddRange(chunk.Where(item => !shown.TryGetValue(Id(item.Update), out var now) || differs(item.Sku, item.Update, now)));
            }

            return differing;
        }

        var keptProducts = await DifferingAsync("ListProducts", products, (api, ids, size, ct) => api.ListProductsByIdAsync(ids, size, fields, ct));
        products.Clear();
        products.AddRange(keptProducts);
        foreach (var (productId, updates) in variations.ToList())
        {
            var kept = await DifferingAsync("ListVariations", updates, (api, ids, size, ct) => api.ListVariationsByIdAsync(productId, ids, size, fields, ct));
            if (kept.Count == 0)
            {
                variations.Remove(productId);
            }
            else
            {
                variations[productId] = kept;
            }
        }

        return reads;
    }

    private static long Id(JsonObject update) => (long)update["id"]!;
}
