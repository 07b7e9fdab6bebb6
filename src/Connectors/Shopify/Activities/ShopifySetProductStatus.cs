using Integration.Connectors.Shopify.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary><c>Shopify.SetProductStatus</c>: shows, hides or archives the product of an ERP SKU; <c>NotFound</c> when the store has no such SKU.</summary>
internal sealed class ShopifySetProductStatus : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SetProductStatus", "Shopify", "Set product status",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("sku", "String", true, Description: "The SKU of any variant of the product."),
            new InputDescriptor("status", "String", true, Description: "ACTIVE, DRAFT or ARCHIVED; or the ERP item status: Active, On hold (DRAFT), Disabled or Discontinued (ARCHIVED)."),
        ],
        [
            new OutputDescriptor("productId", "String", "The product's gid (gid://shopify/Product/N); null when not found."),
            new OutputDescriptor("status", "String", "The Shopify status set (ACTIVE, DRAFT, ARCHIVED)."),
        ],
        ["Done", "NotFound"],
        Description: "Sets a Shopify product's status from the ERP item's: on hold hides it as a draft, discontinued archives it. ACTIVE does not publish it to sales channels.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var products = context.Services?.GetService<ShopifyProducts>() ?? throw new InvalidOperationException("Shopify.SetProductStatus needs the Shopify connector's services.");
        var sku = context.Input<string>("sku");
        if (string.IsNullOrWhiteSpace(sku))
        {
            throw new InvalidOperationException("Shopify.SetProductStatus: 'sku' is empty.");
        }

        var status = ProductStatusName.Parse(context.Input<string>("status"));
        var changed = await products.SetStatusAsync(context.Input<string>("store"), sku, status, context.CancellationToken);
        context.SetOutput("productId", changed.Count > 0 ? changed[0] : null);
        context.SetOutput("status", status);
        return changed.Count == 0 ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
