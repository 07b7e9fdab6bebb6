using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Products;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.SetPrices</c>: sets variant prices and compare-at (was) prices by ERP SKU, one
/// <c>productVariantsBulkUpdate</c> per product.
/// </summary>
internal sealed class ShopifySetPrices : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SetPrices", "Shopify", "Set prices",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("prices", "Object", true, "json-editor",
                "[{ sku, price, compareAtPrice }]: compareAtPrice null clears the was-price, left out keeps it; amounts as numbers or decimal strings, already rounded to the currency."),
            new InputDescriptor("asOf", "String", Description:
                "When the ERP prices were read (Erp.EffectivePrices' readAt). Given, pushes to the store take turns and a SKU whose pushed price was read later is skipped, so overlapping runs never leave an older price."),
        ],
        [
            new OutputDescriptor("updated", "Int32", "Variants updated."),
            new OutputDescriptor("skipped", "Object", "[{ sku, reason }]: SKUs the store does not have, lines without a price, prices read before the ones already pushed."),
        ],
        ["Done"],
        Description: "Pushes ERP prices (and promotions as compare-at prices) to Shopify variants.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var products = context.Services?.GetService<ShopifyProducts>() ?? throw new InvalidOperationException("Shopify.SetPrices needs the Shopify connector's services.");
        var prices = ActivityJson.Objects(context, "prices").Select(p =>
        {
            var hasWas = p.TryGetPropertyValue("compareAtPrice", out var was) || p.TryGetPropertyValue("compare_at_price", out was);
            return new VariantPrice(ActivityJson.Text(p["sku"]), ActivityJson.Number(p["price"]), hasWas ? ActivityJson.Number(was) : null, hasWas);
        }).ToList();

        var store = context.Input<string>("store");
        var (updated, skipped) = context.Input<string>("asOf") is { Length: > 0 } asOf
            ? await context.Services!.GetRequiredService<PricePushOrder>().PushAsync(
                context.Services!.GetRequiredService<ShopifyAdminClients>().For(store).Store,
                DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                prices, fresh => products.SetPricesAsync(store, fresh, context.CancellationToken), context.CancellationToken)
            : await products.SetPricesAsync(store, prices, context.CancellationToken);

        context.SetOutput("updated", updated);
        context.SetOutput("skipped", new JsonArray([.. skipped.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["reason"] = s.Reason })]));
        return ActivityResult.Done;
    }
}
