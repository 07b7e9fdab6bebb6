using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Inventory;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// Writes an ERP product to a store whose products the ERP masters: a template as a variable product (its options as
/// variation attributes, one variation per variant), a simple item as a simple product; the item group as its
/// category, the images by URL in the ERP's order (the first is the featured image; a variant's first image is its
/// variation's), the status from the ERP's (Active -> publish, On hold -> draft; a held variant's variation private).
/// The product is found through the key map (<c>woocommerce</c>/<c>product</c>, ERP id = the template's SKU), else by
/// SKU, else created; variations are matched by SKU. Only what differs from the store is sent, so the same event twice
/// writes nothing; an image already uploaded is sent by its attachment id, never downloaded again. Prices are set
/// when a product or variation is created; after that the price flow keeps them. Variations with a SKU the ERP's template does not list are reported (extras) and retired by <see cref="RetireAsync"/> once the ERP confirms; variations without SKU are left alone.
/// </summary>
public sealed class WooCommerceProductWriter(
    WooCommerceClients clients, WooCommerceStores stores, WooCommerceSkuIndex index, IKeyMap keyMap, WooCommerceCategories categories,
    ILogger<WooCommerceProductWriter> logger)
{
    /// <summary>
    /// Writes the product; null for a template without variants (nothing to sell yet), and nothing is sent. A simple
    /// product or variation created now starts with its price from <paramref name="prices"/> and, when <paramref name="stock"/>
    /// is given, managed at its available-to-promise in the store's warehouse (0 for a stock item with no balance there;
    /// an item the ERP keeps no stock of, a service, is left unmanaged).
    /// </summary>
    public async Task<CatalogueSync?> SyncAsync(
        string? store, CatalogueProduct product, IReadOnlyDictionary<string, WooCommercePrice> prices, IReadOnlyList<StockLine>? stock = null, CancellationToken cancellationToken = default)
    {
        if (product.IsTemplate && product.Variants.Count == 0)
        {
            return null;
        }

        var options = stores.Get(store);
        var client = clients.For(options.Key);
        if (product.Variants.GroupBy(v => v.Sku, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new WooCommerceException(client.Store, "SyncProduct", $"'{product.Sku}' lists SKU '{twice.Key}' twice.");
        }

        var quantities = stock is null ? null : Quantities(options, stock);
        var stocked = 0;
        var categoryId = await categories.EnsureAsync(client.Store, product.ItemGroup, product.ItemGroupName, cancellationToken);
        var existing = await FindAsync(client, product, cancellationToken);
        var gallery = product.Images.DistinctBy(i => i.Checksum, StringComparer.OrdinalIgnoreCase).ToList();
        var present = (existing?["images"] as JsonArray ?? []).Select(i => (long?)i?["id"]).OfType<long>().ToHashSet();
        var images = new JsonArray();
        var uploads = 0;
        foreach (var image in gallery)
        {
            var linked = await keyMap.FindExternalIdAsync("woocommerce", "image", client.Store, ImageKey(product, image), cancellationToken);
            if (long.TryParse(linked, NumberStyles.Integer, CultureInfo.InvariantCulture, out var attachment) && present.Contains(attachment))
            {
                images.Add(new JsonObject { ["id"] = attachment, ["alt"] = image.AltText ?? "" });
            }
            else
            {
                uploads++;
                images.Add(new JsonObject { ["src"] = image.Url, ["alt"] = image.AltText ?? "" });
            }
        }

        var wanted = new JsonObject
        {
            ["name"] = product.Name,
            ["type"] = product.IsTemplate ? "variable" : "simple",
            ["status"] = ProductStatus.Parse(product.Status),
            ["sku"] = product.Sku,
            ["description"] = product.Description ?? "",
            ["categories"] = new JsonArray(new JsonObject { ["id"] = categoryId }),
            ["images"] = images,
        };
        if (product.IsTemplate)
        {
            wanted["attributes"] = new JsonArray([.. product.Options.Select((o, i) => (JsonNode)new JsonObject
            {
                ["name"] = o.Name, ["position"] = i, ["visible"] = true, ["variation"] = true, ["options"] = new JsonArray([.. o.Values.Select(v => (JsonNode)v)]),
            })]);
        }

        JsonObject written;
        var changed = false;
        if (existing is null)
        {
            if (!product.IsTemplate && prices.TryGetValue(product.Sku, out var price) && price.RegularPrice is { } regular)
            {
                foreach (var (field, value) in WooCommercePrices.Fields(regular, price, options.Zone))
                {
                    wanted[field] = value?.DeepClone();
                }
            }

            if (!product.IsTemplate && Stock(wanted, product.Sku, product.IsStockItem, quantities))
            {
                stocked++;
            }

            written = One(await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), create: [wanted], cancellationToken: cancellationToken), client, product.Sku);
        }
        else
        {
            var changes = Differences(wanted, existing);
            changed = changes.Count > 0;
            if (changed)
            {
                changes["id"] = (long)existing["id"]!;
                written = One(await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), update: [changes], cancellationToken: cancellationToken), client, product.Sku);
            }
            else
            {
                written = existing;
            }
        }

        var productId = (long)written["id"]!;
        var productKey = productId.ToString(CultureInfo.InvariantCulture);
        await keyMap.LinkAsync(new KeyLink("woocommerce", "product", client.Store, productKey, product.Sku), cancellationToken);

        // WooCommerce keeps the images in the order given: the n-th image is the n-th picture.
        var attachments = (written["images"] as JsonArray ?? []).Select(i => (long?)i?["id"]).ToList();
        var byChecksum = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        if (attachments.Count == gallery.Count)
        {
            for (var i = 0; i < gallery.Count; i++)
            {
                if (attachments[i] is { } attachment)
                {
                    byChecksum[gallery[i].Checksum] = attachment;
                    await keyMap.LinkAsync(new KeyLink("woocommerce", "image", client.Store, attachment.ToString(CultureInfo.InvariantCulture), ImageKey(product, gallery[i])), cancellationToken);
                }
            }
        }
        else
        {
            logger.LogWarning("WooCommerce {Store}: product {ProductId} of {Sku} came back with {Images} images for {Pictures}; images are not linked",
                client.Store, productId, product.Sku, attachments.Count, gallery.Count);
        }

        var variationsCreated = new List<string>();
        var variationsChanged = new List<string>();
        var variationsExtra = new List<string>();
        var entries = new List<CatalogueEntry> { new(product.Sku, productId, null) };
        if (product.IsTemplate)
        {
            await SyncVariationsAsync(client, options, product, productId, existing is null, byChecksum, prices, quantities, new(variationsCreated, variationsChanged, variationsExtra), entries, cancellationToken);
        }

        index.Remember(client.Store, entries);
        var result = new CatalogueSync(productId, existing is null, changed, variationsCreated, variationsChanged, existing is null || changed ? uploads : 0, categoryId, variationsExtra)
        {
            QuantitiesSet = stocked + (quantities is null ? 0 : product.Variants.Count(v => v.IsStockItem && variationsCreated.Contains(v.Sku))),
            CreatedSkus = [.. existing is null && !product.IsTemplate ? [product.Sku] : Array.Empty<string>(), .. variationsCreated],
        };
        logger.LogInformation("WooCommerce {Store}: product {ProductId} of {Sku} {Outcome} ({Created} variations created, {Changed} changed, {Extra} not in the ERP, {Uploaded} images uploaded)",
            client.Store, productId, product.Sku, result.Created ? "created" : result.Unchanged ? "unchanged" : "updated", variationsCreated.Count, variationsChanged.Count, variationsExtra.Count, result.ImagesUploaded);
        return result;
    }

    private async Task SyncVariationsAsync(
        WooCommerceClient client, WooCommerceStoreOptions options, CatalogueProduct product, long productId, bool isNew, Dictionary<string, long> images,
        IReadOnlyDictionary<string, WooCommercePrice> prices, IReadOnlyDictionary<string, decimal>? quantities, VariationOutcomes outcomes, List<CatalogueEntry> entries, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (!isNew)
        {
            await foreach (var variation in client.PagesAsync("ListVariations", (api, page, size, ct) => api.ListVariationsAsync(productId, page, size, ct), cancellationToken: cancellationToken))
            {
                // A variation without a SKU of its own shows the product's: not one of the ERP's variants, nor extra.
                if (((string?)variation["sku"])?.Trim() is { Length: > 0 } sku && sku != product.Sku)
                {
                    current[sku] = variation;
                }
            }
        }

        var creates = new List<(string Sku, JsonObject Body)>();
        var updates = new List<(string Sku, JsonObject Body)>();
        foreach (var variant in product.Variants)
        {
            var wanted = new JsonObject
            {
                ["sku"] = variant.Sku,
                ["status"] = ProductStatus.ForVariation(ProductStatus.Parse(variant.Status)),
                ["attributes"] = new JsonArray([.. product.Options.Where(o => variant.Attributes.ContainsKey(o.Name))
                    .Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["option"] = variant.Attributes[o.Name] })]),
            };
            if (product.ImageOf(variant.Sku) is { } image && images.TryGetValue(image.Checksum, out var attachment))
            {
                wanted["image"] = new JsonObject { ["id"] = attachment };
            }
            else if (product.ImageOf(variant.Sku) is null && current.ContainsKey(variant.Sku))
            {
                // Its picture taken off in the ERP: id 0 clears a variation's image (WooCommerce 4.7 and later; null or {} does not).
                wanted["image"] = new JsonObject { ["id"] = 0L };
            }

            if (current.TryGetValue(variant.Sku, out var held))
            {
                entries.Add(new CatalogueEntry(variant.Sku, productId, (long)held["id"]!));
                var changes = Differences(wanted, held);
                if (changes.Count > 0)
                {
                    changes["id"] = (long)held["id"]!;
                    updates.Add((variant.Sku, changes));
                }

                continue;
            }

            if (prices.TryGetValue(variant.Sku, out var price) && price.RegularPrice is { } regular)
            {
                foreach (var (field, value) in WooCommercePrices.Fields(regular, price, options.Zone))
                {
                    wanted[field] = value?.DeepClone();
                }
            }

            Stock(wanted, variant.Sku, variant.IsStockItem, quantities);
            creates.Add((variant.Sku, wanted));
        }

        // Variations the ERP's template does not list: reported only. The product read may be older than a variant another
        // run just added, so the flow reads the ERP again before they are retired.
        var variantSkus = product.Variants.Select(v => v.Sku).ToHashSet(StringComparer.Ordinal);
        outcomes.Extras.AddRange(current.Where(c => !variantSkus.Contains(c.Key) && (string?)c.Value["status"] != "private").Select(c => c.Key));

        if (creates.Count + updates.Count == 0)
        {
            return;
        }

        var result = await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(productId, body, ct),
            create: [.. creates.Select(c => c.Body)], update: [.. updates.Select(u => u.Body)], cancellationToken: cancellationToken);
        foreach (var done in result.Created.Concat(result.Updated))
        {
            var sku = ((string?)done["sku"])?.Trim() ?? "";
            var id = (long)done["id"]!;
            entries.Add(new CatalogueEntry(sku, productId, id));
            await keyMap.LinkAsync(new KeyLink("woocommerce", "variation", client.Store, id.ToString(CultureInfo.InvariantCulture), sku), cancellationToken);
            (creates.Any(c => c.Sku == sku) ? outcomes.Created : outcomes.Changed).Add(sku);
        }

        if (result.Errors.Count > 0)
        {
            // What the store took is kept (and linked); the refused variations fault the run with the store's reasons.
            var refused = result.Errors.Select(e => (e.Kind == "create" ? creates[e.Index].Sku : updates[e.Index].Sku) + ": " + e.Message + " (" + e.Code + ")");
            throw new WooCommerceException(client.Store, "BatchVariations", $"the store refused variations of '{product.Sku}': {string.Join("; ", refused)}", null, result.Errors[0].Code);
        }
    }

    // SKU -> whole units available in the store's warehouse (the stock push's rounding); other warehouses are not the store's.
    private static Dictionary<string, decimal> Quantities(WooCommerceStoreOptions options, IReadOnlyList<StockLine> stock)
    {
        var quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in stock)
        {
            if (WooCommerceInventory.IsStoreWarehouse(line.Warehouse, options) && line.Sku?.Trim() is { Length: > 0 } sku && line.AvailableToPromise is { } available)
            {
                quantities[sku] = WooCommerceInventory.Promised(available);
            }
        }

        return quantities;
    }

    // Stock belongs to the stock push; a product or variation created starts at what the ERP promises instead of none,
    // since the push may have passed its SKU before it existed. A stock item the ERP has none of starts managed at 0:
    // unmanaged, WooCommerce would sell it without limit until its first stock movement.
    private static bool Stock(JsonObject created, string sku, bool isStockItem, IReadOnlyDictionary<string, decimal>? quantities)
    {
        if (quantities is null || !isStockItem)
        {
            return false;
        }

        created["manage_stock"] = true;
        created["stock_quantity"] = quantities.GetValueOrDefault(sku);
        return true;
    }

    // The key map first; else the product holding the template's (or the simple item's) SKU, made before this host wrote products.
    private async Task<JsonObject?> FindAsync(WooCommerceClient client, CatalogueProduct product, CancellationToken cancellationToken)
    {
        if (await keyMap.FindExternalIdAsync("woocommerce", "product", client.Store, product.Sku, cancellationToken) is { } linked
            && long.TryParse(linked, NumberStyles.Integer, CultureInfo.InvariantCulture, out var linkedId)
            && await client.FindAsync("GetProduct", (api, ct) => api.GetProductAsync(linkedId, ct), cancellationToken) is { } found)
        {
            return found;
        }

        var bySku = await index.ResolveAsync(client.Store, [product.Sku], cancellationToken);
        return bySku.TryGetValue(product.Sku, out var entry) && entry.VariationId is null
            ? await client.FindAsync("GetProduct", (api, ct) => api.GetProductAsync(entry.ProductId, ct), cancellationToken)
            : null;
    }

    private static JsonObject One(WooCommerceBatchResult result, WooCommerceClient client, string sku)
    {
        if (result.Errors is [var error, ..])
        {
            var hint = error.Code == "product_invalid_sku" ? " (WooCommerce keeps SKUs unique across products and variations: another product or variation has it)" : "";
            throw new WooCommerceException(client.Store, "BatchProducts", $"the store refused product '{sku}': {error.Message}{hint}", null, error.Code);
        }

        return result.Created.Concat(result.Updated).FirstOrDefault()
            ?? throw new WooCommerceException(client.Store, "BatchProducts", $"the answer for product '{sku}' has no product.");
    }

    /// <summary>The fields of <paramref name="wanted"/> the store's object does not already have.</summary>
    internal static JsonObject Differences(JsonObject wanted, JsonObject current)
    {
        var changes = new JsonObject();
        foreach (var (field, value) in wanted)
        {
            var same = field switch
            {
                "categories" => Ids(value).SequenceEqual(Ids(current[field])),
                "images" => value is JsonArray images && images.All(i => i?["id"] is not null) && Ids(value).SequenceEqual(Ids(current[field]))
                    && images.Select(i => (string?)i?["alt"] ?? "").SequenceEqual((current[field] as JsonArray ?? []).Select(i => (string?)i?["alt"] ?? "")),
                "image" => (long?)value?["id"] is { } id && ((long?)current[field]?["id"] ?? 0) == id,
                "attributes" => Attributes(value) == Attributes(current[field]),
                // WooCommerce answers the description through wpautop (paragraphs added) and names HTML-encoded.
                "description" or "name" => Plain(value) == Plain(current[field]),
                _ => (value?.ToString() ?? "") == (current[field]?.ToString() ?? ""),
            };
            if (!same)
            {
                changes[field] = value?.DeepClone();
            }
        }

        return changes;
    }

    private static string Plain(JsonNode? text) => System.Net.WebUtility.HtmlDecode(
        (text?.ToString() ?? "").Replace("<p>", "", StringComparison.Ordinal).Replace("</p>", "", StringComparison.Ordinal).Replace("<br />", "", StringComparison.Ordinal)).Trim();

    private static IEnumerable<long?> Ids(JsonNode? list) => (list as JsonArray ?? []).Select(i => (long?)i?["id"]);

    // Name and value(s) of each attribute, in order: what a variable product or a variation is told apart by.
    private static string Attributes(JsonNode? list) => string.Join("|", (list as JsonArray ?? []).OfType<JsonObject>().Select(a =>
        ((string?)a["name"] ?? "") + "=" + (a["options"] is JsonArray values ? string.Join(",", values.Select(v => (string?)v)) : (string?)a["option"] ?? "")));

    /// <summary>
    /// Sets private the variations of a product whose SKU is in <paramref name="skus"/> (their variant is gone from the
    /// ERP): hidden from the shop, not deleted, so orders keep their line and the SKU may come back. Returns the SKUs set private now.
    /// </summary>
    public async Task<IReadOnlyList<string>> RetireAsync(string? store, long productId, IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        var client = clients.For(stores.Get(store).Key);
        var updates = new List<(string Sku, JsonObject Body)>();
        await foreach (var variation in client.PagesAsync("ListVariations", (api, page, size, ct) => api.ListVariationsAsync(productId, page, size, ct), cancellationToken: cancellationToken))
        {
            if (((string?)variation["sku"])?.Trim() is { Length: > 0 } sku && skus.Contains(sku) && (string?)variation["status"] != "private")
            {
                updates.Add((sku, new JsonObject { ["id"] = (long)variation["id"]!, ["status"] = "private" }));
            }
        }

        if (updates.Count == 0)
        {
            return [];
        }

        var result = await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(productId, body, ct), update: [.. updates.Select(u => u.Body)], cancellationToken: cancellationToken);
        if (result.Errors.Count > 0)
        {
            throw new WooCommerceException(client.Store, "BatchVariations", $"the store refused to hide variations of product {productId}: {string.Join("; ", result.Errors.Select(e => updates[e.Index].Sku + ": " + e.Message + " (" + e.Code + ")"))}", null, result.Errors[0].Code);
        }

        var retired = result.Updated.Select(u => ((string?)u["sku"])?.Trim() ?? "").ToList();
        logger.LogInformation("WooCommerce {Store}: product {ProductId}: variations {Skus} set private, the ERP no longer has them", client.Store, productId, retired);
        return retired;
    }

    private static string ImageKey(CatalogueProduct product, CatalogueImage image) => product.Sku + ":" + image.Checksum.ToLowerInvariant();
}
