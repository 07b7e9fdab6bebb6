using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce.Catalogue;

/// <summary>
/// ERP SKU to the store's products and variations, per store, in memory. The catalogue is read whole (products 100 a
/// page, and the variations of each variable product) once, and again when a SKU is asked for that it does not hold,
/// at most once per <see cref="WooCommerceOptions.SkuIndexRefresh"/>; within the period, also when the key map holds a
/// product or variation linked since the last read (another host's product sync created it). WooCommerce keeps SKUs
/// unique across products and variations, so a SKU is one entry.
/// </summary>
public sealed class WooCommerceSkuIndex(
    WooCommerceClients clients, IOptionsMonitor<WooCommerceOptions> options, TimeProvider time, ILogger<WooCommerceSkuIndex> logger, IKeyMap? keyMap = null)
{
    private static readonly string[] LinkedEntities = ["product", "variation"];

    private readonly ConcurrentDictionary<string, StoreCatalogue> _stores = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The entry of each SKU the store has; SKUs it has not are absent from the answer.</summary>
    public async Task<IReadOnlyDictionary<string, CatalogueEntry>> ResolveAsync(string? store, IEnumerable<string> skus, CancellationToken cancellationToken = default)
    {
        var wanted = skus.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        }

        var client = clients.For(store);
        var catalogue = _stores.GetOrAdd(client.Store, _ => new StoreCatalogue());
        var entries = catalogue.Entries ?? await LoadAsync(client, catalogue, force: false, cancellationToken);
        if (wanted.Any(s => !entries.ContainsKey(s)))
        {
            var missing = wanted.Where(s => !entries.ContainsKey(s)).ToList();
            entries = await LoadAsync(client, catalogue, await LinkedSinceReadAsync(client, catalogue, missing, cancellationToken), cancellationToken);
        }

        return wanted.Where(entries.ContainsKey).ToDictionary(s => s, s => entries[s], StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds what a write just made or found (a product and its variations) to a store's index, so the stock and price
    /// pushes find the new SKUs without reading the catalogue again. A store never read is left to its first read.
    /// </summary>
    public void Remember(string? store, IEnumerable<CatalogueEntry> entries)
    {
        if (_stores.TryGetValue(clients.For(store).Store, out var catalogue) && catalogue.Entries is { } known)
        {
            var merged = new Dictionary<string, CatalogueEntry>(known, StringComparer.Ordinal);
            foreach (var entry in entries.Where(e => e.Sku.Trim().Length > 0))
            {
                merged[entry.Sku.Trim()] = entry;
            }

            catalogue.Entries = merged;
        }
    }

    /// <summary>Drops what the index knows of a store (the store said a product it listed does not exist).</summary>
    public void Forget(string? store) => _stores.TryRemove(clients.For(store).Store, out _);

    private async Task<IReadOnlyDictionary<string, CatalogueEntry>> LoadAsync(WooCommerceClient client, StoreCatalogue catalogue, bool force, CancellationToken cancellationToken)
    {
        var seen = catalogue.LinkedUpTo;
        await catalogue.Gate.WaitAsync(cancellationToken);
        try
        {
            // Read when never read, when the last read is older than the refresh period, or when forced and no caller
            // just before read it again meanwhile.
            if (catalogue.Entries is { } loaded && catalogue.LoadedAt is { } at && time.GetUtcNow() - at < options.CurrentValue.SkuIndexRefresh
                && (!force || catalogue.LinkedUpTo != seen))
            {
                return loaded;
            }

            // Taken before the read: a link made while it runs is newer, and makes the next miss read again.
            var linked = keyMap is null ? null : await keyMap.LatestLinkAsync(WooCommerceClient.Connector, client.Store, LinkedEntities, cancellationToken: cancellationToken);
            var entries = await ReadAsync(client, cancellationToken);
            catalogue.Entries = entries;
            catalogue.LoadedAt = time.GetUtcNow();
            catalogue.LinkedUpTo = linked;
            return entries;
        }
        finally
        {
            catalogue.Gate.Release();
        }
    }

    // Within the refresh period only: whether another host linked one of the missing SKUs' products or variations since the
    // last read. SKUs the store never had are never linked, and what this host wrote it remembers: neither reads again.
    private async Task<bool> LinkedSinceReadAsync(WooCommerceClient client, StoreCatalogue catalogue, IReadOnlyCollection<string> missing, CancellationToken cancellationToken) =>
        keyMap is not null && catalogue.LoadedAt is { } at && time.GetUtcNow() - at < options.CurrentValue.SkuIndexRefresh
        && await keyMap.LatestLinkAsync(WooCommerceClient.Connector, client.Store, LinkedEntities, missing, cancellationToken) is { } latest
        && (catalogue.LinkedUpTo is not { } seen || latest > seen);

    private async Task<Dictionary<string, CatalogueEntry>> ReadAsync(WooCommerceClient client, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, CatalogueEntry>(StringComparer.Ordinal);
        var variable = new List<(long Id, string? Sku)>();
        await foreach (var product in client.PagesAsync("ListProducts",
            (api, page, size, ct) => api.ListProductsAsync(page, size, null, "any", null, null, ct), cancellationToken: cancellationToken))
        {
            var id = (long)product["id"]!;
            if ((string?)product["type"] == "variable")
            {
                variable.Add((id, Sku(product)));
            }

            Add(entries, product, id, null);
        }

        foreach (var (productId, parentSku) in variable)
        {
            await foreach (var variation in client.PagesAsync("ListVariations",
                (api, page, size, ct) => api.ListVariationsAsync(productId, page, size, ct), cancellationToken: cancellationToken))
            {
                // A variation without a SKU of its own shows its parent's: the SKU stays the parent's (stock managed on the
                // parent), never one variation's.
                if (parentSku is null || Sku(variation) != parentSku)
                {
                    Add(entries, variation, productId, (long)variation["id"]!);
                }
            }
        }

        logger.LogInformation("WooCommerce {Store}: SKU index read, {Skus} SKUs ({Variable} variable products)", client.Store, entries.Count, variable.Count);
        return entries;
    }

    private static void Add(Dictionary<string, CatalogueEntry> entries, JsonObject item, long productId, long? variationId)
    {
        // A product or variation without a SKU cannot be addressed from the ERP.
        if (Sku(item) is { } sku)
        {
            entries[sku] = new CatalogueEntry(sku, productId, variationId);
        }
    }

    private static string? Sku(JsonObject item) => (string?)item["sku"] is { } sku && sku.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private sealed class StoreCatalogue
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyDictionary<string, CatalogueEntry>? Entries { get; set; }

        public DateTimeOffset? LoadedAt { get; set; }

        /// <summary>The key map's latest product or variation link when the catalogue was last read.</summary>
        public DateTimeOffset? LinkedUpTo { get; set; }
    }
}
