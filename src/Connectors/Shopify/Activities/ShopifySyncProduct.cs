using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.SyncProduct</c>: writes an ERP product (template and every variant, options, images, status, product
/// type) to the store with one <c>productSet</c>; <c>NotSold</c> when a template has no variant yet, or none the store
/// has or could price (nothing is sent).
/// </summary>
internal sealed class ShopifySyncProduct : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SyncProduct", "Shopify", "Sync product",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("product", "Object", true, "json-editor", "The ERP product, as Erp.GetCatalogueItem gives it."),
            new InputDescriptor("prices", "Object", false, "json-editor", "[{ sku, price, compareAtPrice }] (Erp.EffectivePrices): the price of variants created now; existing variants' prices are left to shopify-prices."),
            new InputDescriptor("stock", "Object", false, "json-editor", "[{ sku, warehouse, availableToPromise }] (Erp.StockBalances): the available quantity of variants created now at the locations of their warehouses; existing variants' stock is left to shopify-stock-push."),
            new InputDescriptor("waitForPrices", "Boolean", false, Description: "A variant the store does not have yet and 'prices' does not price is not created (Shopify would sell it at 0.00); it is named in 'unpriced'. For a store priced from an ERP price list. Without it, such a variant takes the price of the first variant of its product the store has priced, and a product the store does not sell yet is written as a draft while none of its variants has a price."),
        ],
        [
            new OutputDescriptor("productId", "String", "The product's gid (gid://shopify/Product/N)."),
            new OutputDescriptor("created", "Boolean", "The product was created now."),
            new OutputDescriptor("variants", "Object", "[{ sku, variantId, inventoryItemId }] as the store has them now."),
            new OutputDescriptor("deletedVariants", "Object", "SKUs (or variant gids) productSet deleted: not in the ERP."),
            new OutputDescriptor("imagesUploaded", "Int32", "Images sent by URL (new or changed)."),
            new OutputDescriptor("imagesDeleted", "Int32", "Media the product had that the ERP no longer has."),
            new OutputDescriptor("collectionId", "String", "The smart collection of the item group."),
            new OutputDescriptor("quantitiesSet", "Int32", "Available quantities the variants created now started with (one per variant and location)."),
            new OutputDescriptor("createdSkus", "Object", "SKUs of the variants created now: their stock and price are what 'stock' and 'prices' said when read, so a flow reads those again after the write and pushes what moved meanwhile."),
            new OutputDescriptor("unpriced", "Object", "SKUs not created for want of a price (waitForPrices); their first price syncs the product again."),
            new OutputDescriptor("status", "String", "The product's status as written: the ERP's (ACTIVE, DRAFT, ARCHIVED), or DRAFT while a product the store does not sell yet has no variant priced (without waitForPrices)."),
            new OutputDescriptor("atZero", "Object", "Without waitForPrices (the store prices its products): SKUs showing 0.00, created with no sibling price to take or left at 0.00 by the store."),
        ],
        ["Done", "NotSold"],
        Description: "Creates or replaces a Shopify product from the ERP with productSet (synchronous); variants created start with the ERP's price and stock. Variants and images the ERP does not have are deleted; variant ids, inventory items and media of what stays are kept. User errors fault the run with field, code and message.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var writer = context.Services?.GetService<ShopifyProductWriter>() ?? throw new InvalidOperationException("Shopify.SyncProduct needs the Shopify connector's services.");
        var product = ActivityJson.Node(context, "product") as JsonObject ?? throw new InvalidOperationException("Shopify.SyncProduct: 'product' must be an object (Erp.GetCatalogueItem's product).");
        var prices = new Dictionary<string, VariantPrice>(StringComparer.Ordinal);
        foreach (var price in ActivityJson.Objects(context, "prices"))
        {
            if (ActivityJson.Text(price["sku"]) is { Length: > 0 } sku)
            {
                prices[sku] = new VariantPrice(sku, ActivityJson.Number(price["price"]), ActivityJson.Number(price["compareAtPrice"]), price.ContainsKey("compareAtPrice"));
            }
        }

        var stock = ActivityJson.Objects(context, "stock").Select(ShopifySetInventory.Read).ToList();
        var unpriced = new List<string>();
        var result = await writer.SyncAsync(context.Input<string>("store"), ErpProduct.From(product), prices, stock,
            context.HasInput("waitForPrices") && context.Input<bool>("waitForPrices"), unpriced, context.CancellationToken);
        context.SetOutput("unpriced", new JsonArray([.. unpriced.Select(s => (JsonNode?)s)]));
        if (result is null)
        {
            return ActivityResult.Outcome("NotSold");
        }

        context.SetOutput("productId", result.ProductId);
        context.SetOutput("created", result.Created);
        context.SetOutput("variants", new JsonArray([.. result.Variants.Select(v => (JsonNode?)new JsonObject
        {
            ["sku"] = v.Sku,
            ["variantId"] = Client.ShopifyGid.Format("ProductVariant", v.VariantId),
            ["inventoryItemId"] = Client.ShopifyGid.Format("InventoryItem", v.InventoryItemId),
        })]));
        context.SetOutput("deletedVariants", new JsonArray([.. result.DeletedVariants.Select(s => (JsonNode?)s)]));
        context.SetOutput("imagesUploaded", result.ImagesUploaded);
        context.SetOutput("imagesDeleted", result.ImagesDeleted);
        context.SetOutput("collectionId", result.CollectionId);
        context.SetOutput("quantitiesSet", result.QuantitiesSet);
        context.SetOutput("createdSkus", new JsonArray([.. result.CreatedSkus.Select(s => (JsonNode?)s)]));
        context.SetOutput("status", result.Status);
        context.SetOutput("atZero", new JsonArray([.. result.AtZero.Select(s => (JsonNode?)s)]));
        return ActivityResult.Done;
    }
}
