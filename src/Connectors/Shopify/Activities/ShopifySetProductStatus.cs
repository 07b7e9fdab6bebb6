using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.SetProductStatus</c>: shows, hides or archives the product of an ERP SKU; <c>NotFound</c> when the store
/// has no such SKU. Given the ERP <c>product</c> (of <c>Erp.GetCatalogueItem</c>), the status is the product's as a
/// whole (<see cref="ProductStatusName.Of"/>: a template stays visible while one variant is active) and every product
/// holding one of its variants gets it.
/// </summary>
internal sealed class ShopifySetProductStatus : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SetProductStatus", "Shopify", "Set product status",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("sku", "String", true, Description: "The SKU of any variant of the product."),
            new InputDescriptor("status", "String", false, Description: "ACTIVE, DRAFT or ARCHIVED; or the ERP item status: Active, On hold (DRAFT), Disabled or Discontinued (ARCHIVED). Needed unless product is given."),
            new InputDescriptor("product", "Object", false, "json-editor", "The ERP product (Erp.GetCatalogueItem's product): its status follows from the template's and its variants' (every variant on hold: DRAFT)."),
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

        string status;
        IReadOnlyList<string> skus = [sku];
        if (ActivityJson.Node(context, "product") is JsonObject json)
        {
            var product = ErpProduct.From(json);
            status = ProductStatusName.Of(product);
            skus = [.. product.Variants.Select(v => v.Sku).Append(sku).Distinct(StringComparer.Ordinal)];
        }
        else
        {
            status = ProductStatusName.Parse(context.Input<string>("status")
                ?? throw new InvalidOperationException("Shopify.SetProductStatus: neither 'status' nor 'product' is given."));
        }

        var changed = await products.SetStatusAsync(context.Input<string>("store"), skus, status, context.CancellationToken);
        context.SetOutput("productId", changed.Count > 0 ? changed[0] : null);
        context.SetOutput("status", status);
        return changed.Count == 0 ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }

    public override IEnumerable<(string Input, string Message)> Validate(Integration.Workflows.Model.FlowActivityNode node)
    {
        if (node.Property("status") is null && node.Property("product") is null)
        {
            yield return ("status", "Shopify.SetProductStatus needs 'status' or 'product'");
        }
    }
}
