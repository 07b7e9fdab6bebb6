using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.SyncProduct</c>: writes the product of <c>Erp.GetCatalogueItem</c> to a store (variable product with
/// variations, or simple product; category, images, status), sending only what differs.
/// </summary>
internal sealed class WooCommerceSyncProduct : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.SyncProduct", "WooCommerce", "Sync product",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("product", "Object", true, "json-editor", "The product of Erp.GetCatalogueItem."),
            new InputDescriptor("prices", "Object", false, "json-editor", "The prices of Erp.EffectivePrices for its SKUs: set on the products and variations created."),
            new InputDescriptor("stock", "Object", false, "json-editor", "The balances of Erp.StockBalances for its SKUs: the available-to-promise in the store's warehouse is the stock of the products and variations created, 0 for a stock item without a balance there, none for a non-stock item (existing ones are left to woocommerce-stock-push)."),
        ],
        [
            new OutputDescriptor("productId", "Int64", "The WooCommerce product id."),
            new OutputDescriptor("created", "Boolean", "Whether the product was created."),
            new OutputDescriptor("changed", "Boolean", "Whether anything was written (false: the store already showed the ERP's product)."),
            new OutputDescriptor("variationsCreated", "Object", "SKUs of the variations created."),
            new OutputDescriptor("variationsChanged", "Object", "SKUs of the variations changed."),
            new OutputDescriptor("variationsExtra", "Object", "SKUs of variations the store shows that the ERP's product does not list (for WooCommerce.RetireVariations, after the ERP is read again)."),
            new OutputDescriptor("imagesUploaded", "Int32", "Images the store downloaded by URL."),
            new OutputDescriptor("categoryId", "Int64", "The category of the item group."),
            new OutputDescriptor("quantitiesSet", "Int32", "Products and variations created with the ERP's stock."),
            new OutputDescriptor("createdSkus", "Object", "SKUs of the product (a simple one) and variations created now: their stock and prices are what 'stock' and 'prices' said when read, so a flow reads those again after the write and pushes what moved meanwhile."),
        ],
        ["Done", "NoVariants"],
        Description: "Writes an ERP item's product to WooCommerce: a template as a variable product with its variations, a simple item as a simple product, in its group's category, with its images and status. NoVariants: a template with no variant yet, nothing sent.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var writer = context.Services?.GetService<WooCommerceProductWriter>() ?? throw new InvalidOperationException("WooCommerce.SyncProduct needs the WooCommerce connector's services.");
        var product = context.JsonInput("product") as JsonObject ?? throw new InvalidOperationException("WooCommerce.SyncProduct: 'product' must be the object of Erp.GetCatalogueItem.");
        var lines = context.HasInput("prices") && context.JsonInput("prices") is JsonArray given ? given.OfType<JsonObject>() : [];
        var prices = lines.Select(WooCommerceSetPrices.Read).Where(p => p.Sku is not null).GroupBy(p => p.Sku!.Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

        // Not given: new products are created without stock (the store's default, unmanaged).
        var stock = context.HasInput("stock") && context.JsonInput("stock") is JsonArray balances ? balances.OfType<JsonObject>().Select(WooCommerceSetStock.Read).ToList() : null;
        var result = await writer.SyncAsync(context.Input<string>("store"), CatalogueProduct.From(product), prices, stock, context.CancellationToken);
        if (result is null)
        {
            return ActivityResult.Outcome("NoVariants");
        }

        context.SetOutput("productId", result.ProductId);
        context.SetOutput("created", result.Created);
        context.SetOutput("changed", !result.Unchanged);
        context.SetOutput("variationsCreated", new JsonArray([.. result.VariationsCreated.Select(s => (JsonNode?)s)]));
        context.SetOutput("variationsChanged", new JsonArray([.. result.VariationsChanged.Select(s => (JsonNode?)s)]));
        context.SetOutput("variationsExtra", new JsonArray([.. result.VariationsExtra.Select(s => (JsonNode?)s)]));
        context.SetOutput("imagesUploaded", result.ImagesUploaded);
        context.SetOutput("categoryId", result.CategoryId);
        context.SetOutput("quantitiesSet", result.QuantitiesSet);
        context.SetOutput("createdSkus", new JsonArray([.. result.CreatedSkus.Select(s => (JsonNode?)s)]));
        return ActivityResult.Done;
    }
}
