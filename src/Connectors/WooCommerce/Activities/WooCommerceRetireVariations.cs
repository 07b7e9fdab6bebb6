using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.RetireVariations</c>: sets private the variations of a product whose variant the ERP no longer has
/// (hidden from the shop, not deleted: orders keep their line and the SKU may come back).
/// </summary>
internal sealed class WooCommerceRetireVariations : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.RetireVariations", "WooCommerce", "Retire variations",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("productId", "String", true, Description: "The variable product's id."),
            new InputDescriptor("skus", "Object", true, "json-editor", "The SKUs whose variations are set private, e.g. WooCommerce.SyncProduct's variationsExtra less the variants the ERP lists now."),
        ],
        [new OutputDescriptor("retired", "Object", "The SKUs set private now (those private already are not counted).")],
        ["Done"],
        Description: "Hides (status private) the variations of SKUs the ERP no longer has under the product.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var writer = context.Services?.GetService<WooCommerceProductWriter>() ?? throw new InvalidOperationException("WooCommerce.RetireVariations needs the WooCommerce connector's services.");
        var skus = (context.JsonInput("skus") as JsonArray ?? []).Select(s => s?.ToString().Trim()).OfType<string>().Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        var retired = skus.Count == 0 ? [] : await writer.RetireAsync(context.Input<string>("store"), ActivityIds.Read(context, "productId"), skus, context.CancellationToken);
        context.SetOutput("retired", new JsonArray([.. retired.Select(s => (JsonNode?)s)]));
        return ActivityResult.Done;
    }
}
