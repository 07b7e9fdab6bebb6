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
            new InputDescriptor("compare", "Boolean", false, Description: "Read the variants' prices first (250 a query) and set only those that differ, each reported as drift (the nightly full upload)."),
            new InputDescriptor("faultOnRefusal", "Boolean", false, Description: "Fault once the others are set when the store refuses a product's prices (default true); false: they are only in refused, for the flow to decide."),
        ],
        [
            new OutputDescriptor("refused", "Object", "[{ sku, reason }]: the lines of products whose update the store refused (also in skipped)."),
            new OutputDescriptor("updated", "Int32", "Variants updated."),
            new OutputDescriptor("skipped", "Object", "[{ sku, reason }]: SKUs the store does not have, lines without a price, prices read before the ones already pushed."),
            new OutputDescriptor("unchanged", "Int32", "Compared: variants that already showed the ERP's prices, not sent."),
            new OutputDescriptor("drift", "Object", "Compared: [{ sku, store: { price, compareAtPrice }, erp: { price, compareAtPrice } }] the store showed otherwise, then set."),
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
        var compare = context.HasInput("compare") && context.Input<bool>("compare");
        var push = context.Input<string>("asOf") is { Length: > 0 } asOf
            ? await context.Services!.GetRequiredService<PricePushOrder>().PushAsync(
                context.Services!.GetRequiredService<ShopifyAdminClients>().For(store).Store,
                DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                prices, fresh => products.SetPricesAsync(store, fresh, compare, context.CancellationToken), context.CancellationToken)
            : await products.SetPricesAsync(store, prices, compare, context.CancellationToken);

        context.SetOutput("refused", new JsonArray([.. push.Refused.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["reason"] = s.Reason })]));
        if (push.Refused.Count > 0 && (!context.HasInput("faultOnRefusal") || context.Input<bool>("faultOnRefusal")))
        {
            // The others are set and recorded; the refused ones are for a person (a retry pushes them again).
            throw new ShopifyException(context.Services!.GetRequiredService<ShopifyAdminClients>().For(store).Store, "ProductVariantsBulkUpdate",
                $"the store refused {push.Refused.Count} of the prices ({push.Updated} set): " + string.Join("; ", push.Refused.DistinctBy(r => r.Reason).Take(5).Select(r => r.Reason)));
        }

        context.SetOutput("updated", push.Updated);
        context.SetOutput("skipped", new JsonArray([.. push.Skipped.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["reason"] = s.Reason })]));
        context.SetOutput("unchanged", push.Unchanged);
        context.SetOutput("drift", new JsonArray([.. push.Drift.Select(d => (JsonNode?)new JsonObject
        {
            ["sku"] = d.Sku,
            ["store"] = new JsonObject { ["price"] = d.StorePrice, ["compareAtPrice"] = d.StoreCompareAtPrice },
            ["erp"] = new JsonObject { ["price"] = d.ErpPrice, ["compareAtPrice"] = d.ErpCompareAtPrice },
        })]));
        return ActivityResult.Done;
    }
}
