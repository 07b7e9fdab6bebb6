using Integration.Connectors.WooCommerce.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary><c>WooCommerce.SetProductStatus</c>: publishes, hides (draft) or retires (private) the product of an ERP SKU; <c>NotFound</c> when the store has no such SKU.</summary>
internal sealed class WooCommerceSetProductStatus : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.SetProductStatus", "WooCommerce", "Set product status",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("sku", "String", true, Description: "The SKU of the product or variation."),
            new InputDescriptor("status", "String", true, Description: "publish, draft or private; or the ERP item status: Active (publish), On hold (draft), Disabled or Discontinued (private)."),
        ],
        [
            new OutputDescriptor("productId", "Int64", "The product's id (the variable product's, for a variation); null when not found."),
            new OutputDescriptor("status", "String", "The status set (a variation: publish or private)."),
        ],
        ["Done", "NotFound"],
        Description: "Sets a WooCommerce product's status from the ERP item's: on hold hides it as a draft, discontinued makes it private.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var products = context.Services?.GetService<WooCommerceProducts>() ?? throw new InvalidOperationException("WooCommerce.SetProductStatus needs the WooCommerce connector's services.");
        var sku = context.Input<string>("sku");
        if (string.IsNullOrWhiteSpace(sku))
        {
            throw new InvalidOperationException("WooCommerce.SetProductStatus: 'sku' is empty.");
        }

        var status = ProductStatus.Parse(context.Input<string>("status"));
        var entry = await products.SetStatusAsync(context.Input<string>("store"), sku, status, context.CancellationToken);
        context.SetOutput("productId", entry?.ProductId);
        context.SetOutput("status", entry is { IsVariation: true } ? ProductStatus.ForVariation(status) : status);
        return entry is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
