using System.Collections.Concurrent;
using Integration.Connectors.Shopify.Client;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify.Catalogue;

/// <summary>
/// ERP SKU to the store's variants, per store, in memory. The whole catalogue is read once (250 variants a page,
/// through the store's throttle) and read again when a SKU is asked for that it does not hold, at most once per
/// <see cref="ShopifyOptions.SkuIndexRefresh"/>, so a SKU the store never had costs no more than one read a period.
/// Within the period it is read again when the key map holds a product or variant linked since the last read: another
/// host's product sync created it, and this host's stock push must not pass its SKU by for the rest of the period.
/// Shopify allows one SKU on several variants; the index keeps them all and the activities act on each.
/// </summary>
public sealed class ShopifySkuIndex(
    ShopifyAdminClients clients, IOptionsMonitor<ShopifyOptions> options, TimeProvider time, ILogger<ShopifySkuIndex> logger, IKeyMap? keyMap = null)
{
    /// <summary>The key map's entities a product sync links when it creates a product or a variant.</summary>
    internal static readonly string[] LinkedEntities = ["product", "variant"];

    // A variant node is 3 objects (variant, product, inventory item): 2 + 250 x 3 = 752 points, under the 1000 limit.
    internal const string Query =
        "query CatalogueVariants($first: Int!, $after: String) { productVariants(first: $first, after: $after) { nodes { id sku product { id } inventoryItem { id } } pageInfo { hasNextPage endCursor } } }";

    private readonly ConcurrentDictionary<string, StoreCatalogue> _stores = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The variants of each SKU the store has; SKUs it has not are absent from the answer.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<CatalogueVariant>>> ResolveAsync(string? store, IEnumerable<string> skus, CancellationToken cancellationToken = default) =>
        ResolveAsync(store, skus, found: null, cancellationToken);

    /// <summary>
    /// As <see cref="ResolveAsync(string?, IEnumerable{string}, CancellationToken)"/>, and each variant of a wanted SKU
    /// is handed to <paramref name="found"/> once: as soon as its page arrives when this call reads the catalogue (so
    /// the caller can act on it while the next page waits for points), else all of them before the answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<CatalogueVariant>>> ResolveAsync(
        string? store, IEnumerable<string> skus, Action<CatalogueVariant>? found, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        var catalogue = _stores.GetOrAdd(client.Store, _ => new StoreCatalogue());
        var wanted = skus.Select(s => s.Trim()).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            // Nothing asked (a stock push with no changes): no catalogue read, no call to the store.
            return new Dictionary<string, IReadOnlyList<CatalogueVariant>>(StringComparer.Ordinal);
        }

        var handedOver = new HashSet<long>();
        void OnRead(CatalogueVariant variant)
        {
            if (found is not null && wanted.Contains(variant.Sku) && handedOver.Add(variant.VariantId))
            {
                found(variant);
            }
        }

        var variants = catalogue.Variants ?? await LoadAsync(client, catalogue, OnRead, force: false, cancellationToken);
        if (wanted.Any(s => !variants.ContainsKey(s)))
        {
            var missing = wanted.Where(s => !variants.ContainsKey(s)).ToList();
            variants = await LoadAsync(client, catalogue, OnRead, await LinkedSinceReadAsync(client, catalogue, missing, cancellationToken), cancellationToken);
        }

        var answer = wanted.Where(variants.ContainsKey).ToDictionary(s => s, s => variants[s], StringComparer.Ordinal);
        // A warm index, or a read another caller ran: what was not handed over yet, at once.
        foreach (var variant in answer.Values.SelectMany(v => v))
        {
            OnRead(variant);
        }

        return answer;
    }

    /// <summary>The variants of one SKU; empty when the store has none (after a refresh, if one was due).</summary>
    public async Task<IReadOnlyList<CatalogueVariant>> FindAsync(string? store, string sku, CancellationToken cancellationToken = default) =>
        (await ResolveAsync(store, [sku], cancellationToken)).GetValueOrDefault(sku.Trim()) ?? [];

    /// <summary>
    /// Takes a product's variants as they are now (after this host wrote the product): its SKUs point at these
    /// variants, and variants of the product not given are forgotten. Nothing happens when the store's catalogue
    /// was never read (the first read will see them).
    /// </summary>
    public void Remember(string? store, long productId, IReadOnlyList<CatalogueVariant> variants)
    {
        if (!_stores.TryGetValue(clients.For(store).Store, out var catalogue))
        {
            return;
        }

        lock (catalogue.Gate)
        {
            if (catalogue.Variants is not { } known)
            {
                return;
            }

            var updated = new Dictionary<string, IReadOnlyList<CatalogueVariant>>(StringComparer.Ordinal);
            foreach (var (sku, list) in known)
            {
                var others = list.Where(v => v.ProductId != productId).ToList();
                if (others.Count > 0)
                {
                    updated[sku] = others;
                }
            }

            foreach (var variant in variants)
            {
                updated[variant.Sku] = [.. updated.GetValueOrDefault(variant.Sku) ?? [], variant];
            }

            catalogue.Variants = updated;
        }
    }

    /// <summary>Drops what the index knows of a store (e.g. the store said a product it listed does not exist).</summary>
    public void Forget(string? store) => _stores.TryRemove(clients.For(store).Store, out _);

    private async Task<Dictionary<string, IReadOnlyList<CatalogueVariant>>> ReadAsync(ShopifyAdminClient client, Action<CatalogueVariant>? onRead, CancellationToken cancellationToken)
    {
        var bySku = new Dictionary<string, List<CatalogueVariant>>(StringComparer.Ordinal);
        var count = 0;
        await foreach (var node in client.PagesAsync("CatalogueVariants", Query, "productVariants", cancellationToken: cancellationToken))
        {
            count++;
            var sku = node["sku"]?.GetValue<string>()?.Trim();
            if (string.IsNullOrEmpty(sku))
            {
                continue; // a variant without a SKU cannot be addressed from the ERP
            }

            var variant = new CatalogueVariant(
                sku,
                ShopifyGid.Parse(node["id"]?.GetValue<string>(), "ProductVariant"),
                ShopifyGid.Parse(node["product"]?["id"]?.GetValue<string>(), "Product"),
                ShopifyGid.Parse(node["inventoryItem"]?["id"]?.GetValue<string>(), "InventoryItem"));
            if (!bySku.TryGetValue(sku, out var list))
            {
                bySku[sku] = list = [];
            }

            list.Add(variant);
            onRead?.Invoke(variant);
        }

        logger.LogInformation("Shopify {Store}: SKU index read, {Variants} variants, {Skus} SKUs", client.Store, count, bySku.Count);
        return bySku.ToDictionary(p => p.Key, p => (IReadOnlyList<CatalogueVariant>)p.Value, StringComparer.Ordinal);
    }

    // One read at a time per store; callers that come while it runs share it. A read newer than the refresh period is kept.
    // Only the caller that starts a read sees its variants as they come (onRead); the others wait for the whole of it.
    private Task<Dictionary<string, IReadOnlyList<CatalogueVariant>>> LoadAsync(
        ShopifyAdminClient client, StoreCatalogue catalogue, Action<CatalogueVariant>? onRead, bool force, CancellationToken cancellationToken)
    {
        lock (catalogue.Gate)
        {
            if (catalogue.Loading is { IsCompleted: false } running)
            {
                return running;
            }

            if (!force && catalogue.Variants is { } known && time.GetUtcNow() - catalogue.LoadedAt < options.CurrentValue.SkuIndexRefresh)
            {
                return Task.FromResult(known);
            }

            return catalogue.Loading = ReadIntoAsync(client, catalogue, onRead, cancellationToken);
        }
    }

    private async Task<Dictionary<string, IReadOnlyList<CatalogueVariant>>> ReadIntoAsync(ShopifyAdminClient client, StoreCatalogue catalogue, Action<CatalogueVariant>? onRead, CancellationToken cancellationToken)
    {
        // Taken before the read: a link made while it runs is newer, and makes the next miss read again.
        var linked = keyMap is null ? null : await keyMap.LatestLinkAsync(ShopifyAdminClient.Connector, client.Store, LinkedEntities, cancellationToken: cancellationToken);
        var read = await ReadAsync(client, onRead, cancellationToken);
        lock (catalogue.Gate)
        {
            catalogue.Variants = read;
            catalogue.LoadedAt = time.GetUtcNow();
            catalogue.LinkedUpTo = linked;
        }

        return read;
    }

    // Within the refresh period only: whether another host linked one of the missing SKUs' products or variants since the
    // last read. SKUs the store never had are never linked, and what this host wrote it remembers: neither reads again.
    private async Task<bool> LinkedSinceReadAsync(ShopifyAdminClient client, StoreCatalogue catalogue, IReadOnlyCollection<string> missing, CancellationToken cancellationToken) =>
        keyMap is not null && catalogue.Variants is not null && time.GetUtcNow() - catalogue.LoadedAt < options.CurrentValue.SkuIndexRefresh
        && await keyMap.LatestLinkAsync(ShopifyAdminClient.Connector, client.Store, LinkedEntities, missing, cancellationToken) is { } latest
        && (catalogue.LinkedUpTo is not { } seen || latest > seen);

    private sealed class StoreCatalogue
    {
        public Lock Gate { get; } = new();

        public Dictionary<string, IReadOnlyList<CatalogueVariant>>? Variants { get; set; }

        public DateTimeOffset LoadedAt { get; set; }

        /// <summary>The key map's latest product or variant link when the catalogue was last read.</summary>
        public DateTimeOffset? LinkedUpTo { get; set; }

        public Task<Dictionary<string, IReadOnlyList<CatalogueVariant>>>? Loading { get; set; }
    }
}
