using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Collections;
using Integration.Connectors.Shopify.Inventory;
using Integration.Connectors.Shopify.Stores;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// Writes an ERP product to a store with one synchronous <c>productSet</c> carrying the whole product (see
/// <see cref="ProductSetInput"/>). The product is found through the key map (<c>shopify</c>/<c>product</c>, ERP id =
/// the template's SKU), else through the SKU index (a product made in Shopify before), else created; its id is kept
/// in the key map. productSet deletes the list entries it is not given: variants the ERP does not have (removed in
/// the ERP, or added by hand in Shopify) and images no longer in the ERP go, on purpose; nothing else is touched.
/// </summary>
public sealed class ShopifyProductWriter(
    ShopifyAdminClients clients, ShopifyStores stores, ShopifySkuIndex index, IKeyMap keyMap, ShopifyCollections collections, ILogger<ShopifyProductWriter> logger)
{
    private const string ProductFields = "id status variants(first: 250) { nodes { id sku price compareAtPrice inventoryItem { id } } } media(first: 250) { nodes { id alt } }";

    internal const string ReadQuery = "query ProductForSync($id: ID!) { product(id: $id) { " + ProductFields + " } }";

    internal const string SetMutation =
        "mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) { productSet(identifier: $identifier, input: $input, synchronous: true) { product { "
        + ProductFields + " } userErrors { field code message } } }";

    /// <summary>
    /// Writes the product; null when there is nothing to sell (a template without variants), and nothing is sent.
    /// Variants created now take their price from <paramref name="prices"/> and their available quantity at each
    /// location from <paramref name="stock"/> (warehouses mapped to no location are left out). With
    /// <paramref name="waitForPrices"/> (a store priced from an ERP price list) a variant the store does not have yet and
    /// <paramref name="prices"/> does not price is left out and named in <paramref name="unpriced"/>: Shopify would
    /// create it at 0.00, on sale at once. A product none of whose variants can be written yet is not created (null).
    /// Without it (the store prices its products) a new variant takes a priced sibling's price, and a product not sold
    /// yet stays a draft while none of its variants has a price (<see cref="StorePricedProduct"/>).
    /// </summary>
    public async Task<ProductSyncResult?> SyncAsync(
        string? store, ErpProduct product, IReadOnlyDictionary<string, VariantPrice> prices, IReadOnlyList<StockQuantity>? stock = null,
        bool waitForPrices = false, ICollection<string>? unpriced = null, CancellationToken cancellationToken = default)
    {
        if (product.Variants.Count == 0)
        {
            // productSet with no variants would delete every variant of the product: a template waits for its first.
            return null;
        }

        if (product.Variants.Count > ProductSetInput.MaxVariants)
        {
            throw new ShopifyException(clients.For(store).Store, "ProductSet", $"'{product.Sku}' has {product.Variants.Count} variants; this connector writes at most {ProductSetInput.MaxVariants} per product.");
        }

        if (product.Variants.GroupBy(v => v.Sku, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ShopifyException(clients.For(store).Store, "ProductSet", $"'{product.Sku}' lists SKU '{twice.Key}' twice.");
        }

        var client = clients.For(store);
        var existing = await FindAsync(client, product, cancellationToken);
        var variantIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var deleted = new List<string>();
        var existingMedia = new HashSet<string>(StringComparer.Ordinal);
        if (existing is not null)
        {
            var wanted = product.Variants.Select(v => v.Sku).ToHashSet(StringComparer.Ordinal);
            foreach (var variant in (existing["variants"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var sku = variant["sku"]?.GetValue<string>()?.Trim() ?? "";
                var variantId = ShopifyGid.Parse(variant["id"]?.GetValue<string>(), "ProductVariant");
                if (wanted.Contains(sku) && variantIds.TryAdd(sku, variantId))
                {
                    continue;
                }

                deleted.Add(sku.Length > 0 ? sku : ShopifyGid.Format("ProductVariant", variantId));
            }

            existingMedia.UnionWith((existing["media"]?["nodes"] as JsonArray ?? []).Select(m => m?["id"]?.GetValue<string>()).OfType<string>());
        }

        if (waitForPrices && product.Variants.Where(v => !variantIds.ContainsKey(v.Sku) && !(prices.TryGetValue(v.Sku, out var price) && price.Price is not null))
                .Select(v => v.Sku).ToHashSet(StringComparer.Ordinal) is { Count: > 0 } waiting)
        {
            foreach (var sku in waiting)
            {
                unpriced?.Add(sku);
            }

            logger.LogWarning("Shopify {Store}: {Count} variants of {Sku} wait for their first price before they are created: {Skus}",
                client.Store, waiting.Count, product.Sku, string.Join(", ", waiting.Take(5)));
            product = product.Without(waiting);
            if (product.Variants.Count == 0)
            {
                // Nothing the store has and nothing priced: productSet would delete every variant it has, or make a product at 0.00.
                return null;
            }
        }

        var status = ProductStatusName.Of(product);
        IReadOnlyList<string> atZero = [];
        if (!waitForPrices)
        {
            // The store prices its products: new variants take a priced sibling's price, or the product waits as a draft.
            var plan = StorePricedProduct.Plan(product, existing, variantIds, prices);
            prices = plan.Prices;
            atZero = plan.AtZero;
            if (plan.StatusOf(product, existing) is var draft && draft != status)
            {
                logger.LogWarning("Shopify {Store}: {Sku} is written as a draft until the store prices {Count} variants at 0.00: {Skus}",
                    client.Store, product.Sku, atZero.Count, string.Join(", ", atZero.Take(5)));
                status = draft;
            }
            else if (atZero.Count > 0)
            {
                logger.LogWarning("Shopify {Store}: {Sku} has {Count} variants at 0.00 in the store: {Skus}", client.Store, product.Sku, atZero.Count, string.Join(", ", atZero.Take(5)));
            }
        }

        var mediaIds = new List<string?>(product.Images.Count);
        foreach (var image in product.Images)
        {
            var linked = await keyMap.FindExternalIdAsync("shopify", "media", client.Store, MediaKey(product, image), cancellationToken);
            mediaIds.Add(linked is not null && existingMedia.Contains(linked) ? linked : null);
        }

        var levels = Levels(stores.Get(store), stock ?? []);
        var input = ProductSetInput.Build(product, variantIds, mediaIds, prices, levels, status);
        var variables = new JsonObject { ["input"] = input };
        if (existing?["id"]?.GetValue<string>() is { } productGid)
        {
            variables["identifier"] = new JsonObject { ["id"] = productGid };
        }

        JsonObject payload;
        try
        {
            payload = await client.MutateAsync("ProductSet", "productSet", SetMutation, variables, estimatedCost: 770, cancellationToken: cancellationToken);
        }
        catch (ShopifyUserErrorException ex)
        {
            throw new ShopifyProductRefusedException(client.Store, product.Sku, ex.Errors);
        }

        var written = payload["product"] as JsonObject ?? throw new ShopifyException(client.Store, "ProductSet", "the answer has no product.");
        var id = written["id"]!.GetValue<string>();
        var productId = ShopifyGid.Parse(id, "Product");
        await keyMap.LinkAsync(new KeyLink("shopify", "product", client.Store, id, product.Sku), cancellationToken);

        // Shopify keeps the files in the order given: the n-th media is the n-th image.
        var media = (written["media"]?["nodes"] as JsonArray ?? []).Select(m => m?["id"]?.GetValue<string>()).ToList();
        var uploaded = 0;
        if (media.Count == product.Images.Count)
        {
            for (var i = 0; i < media.Count; i++)
            {
                if (mediaIds[i] is null && media[i] is { } mediaId)
                {
                    uploaded++;
                    await keyMap.LinkAsync(new KeyLink("shopify", "media", client.Store, mediaId, MediaKey(product, product.Images[i])), cancellationToken);
                }
            }
        }
        else
        {
            logger.LogWarning("Shopify {Store}: product {ProductId} of {Sku} came back with {Media} media for {Images} images; images are not linked",
                client.Store, id, product.Sku, media.Count, product.Images.Count);
        }

        var variants = (written["variants"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>().Select(v => new CatalogueVariant(
            v["sku"]?.GetValue<string>()?.Trim() ?? "",
            ShopifyGid.Parse(v["id"]?.GetValue<string>(), "ProductVariant"),
            productId,
            ShopifyGid.Parse(v["inventoryItem"]?["id"]?.GetValue<string>(), "InventoryItem"))).ToList();
        index.Remember(client.Store, productId, [.. variants.Where(v => v.Sku.Length > 0)]);
        foreach (var created in variants.Where(v => v.Sku.Length > 0 && !variantIds.ContainsKey(v.Sku)))
        {
            // The other hosts' SKU indexes learn from the link that the catalogue has something new (ShopifySkuIndex).
            await keyMap.LinkAsync(new KeyLink("shopify", "variant", client.Store, ShopifyGid.Format("ProductVariant", created.VariantId), created.Sku), cancellationToken);
        }


        var collection = await collections.EnsureForGroupAsync(client.Store, product.ItemGroup, product.ItemGroupName, cancellationToken);
        logger.LogInformation("Shopify {Store}: product {ProductId} of {Sku} written ({Variants} variants, {Deleted} deleted, {Uploaded} images uploaded)",
            client.Store, id, product.Sku, variants.Count, deleted.Count, uploaded);
        var stocked = product.Variants.Where(v => !variantIds.ContainsKey(v.Sku)).Sum(v => levels.GetValueOrDefault(v.Sku)?.Count ?? 0);
        return new ProductSyncResult(id, existing is null, variants, deleted, uploaded, existingMedia.Count - mediaIds.Count(m => m is not null), collection) {
            QuantitiesSet = stocked, Status = status, AtZero = atZero,
            CreatedSkus = [.. variants.Where(v => v.Sku.Length > 0 && !variantIds.ContainsKey(v.Sku)).Select(v => v.Sku)],
        };
    }

    // SKU -> location -> whole units available (the stock push's rounding); the last line of a location wins.
    private static Dictionary<string, IReadOnlyDictionary<long, int>> Levels(ShopifyStoreOptions options, IReadOnlyList<StockQuantity> stock)
    {
        var levels = new Dictionary<string, IReadOnlyDictionary<long, int>>(StringComparer.Ordinal);
        foreach (var line in stock)
        {
            var warehouse = string.IsNullOrWhiteSpace(line.Warehouse) ? options.Warehouse : line.Warehouse;
            if (line.Sku?.Trim() is { Length: > 0 } sku && line.Available is { } available && options.LocationOf(warehouse) is { } location)
            {
                var of = levels.TryGetValue(sku, out var known) ? (Dictionary<long, int>)known : new Dictionary<long, int>();
                of[location] = ShopifyInventory.Quantity(available);
                levels[sku] = of;
            }
        }

        return levels;
    }

    // The key map first; else a product of the store that holds one of the SKUs (made before this host wrote products).
    private async Task<JsonObject?> FindAsync(ShopifyAdminClient client, ErpProduct product, CancellationToken cancellationToken)
    {
        if (await keyMap.FindExternalIdAsync("shopify", "product", client.Store, product.Sku, cancellationToken) is { } linked
            && await ReadAsync(client, linked, cancellationToken) is { } found)
        {
            return found;
        }

        var bySku = await index.ResolveAsync(client.Store, product.Variants.Select(v => v.Sku), cancellationToken);
        foreach (var productId in product.Variants.SelectMany(v => bySku.GetValueOrDefault(v.Sku) ?? []).Select(v => v.ProductId).Distinct())
        {
            if (await ReadAsync(client, ShopifyGid.Format("Product", productId), cancellationToken) is { } held)
            {
                return held;
            }
        }

        return null;
    }

    private static async Task<JsonObject?> ReadAsync(ShopifyAdminClient client, string productGid, CancellationToken cancellationToken) =>
        (await client.ExecuteAsync("ProductForSync", ReadQuery, new JsonObject { ["id"] = productGid }, estimatedCost: 760, cancellationToken: cancellationToken))["product"] as JsonObject;

    private static string MediaKey(ErpProduct product, ErpProductImage image) => product.Sku + "/" + image.Checksum;
}
