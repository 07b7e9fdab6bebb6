using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Products;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.SetPrices</c>: the prices of <c>Erp.EffectivePrices</c> to a store: the base price as
/// <c>regular_price</c>, a promotion's price as <c>sale_price</c> scheduled over its days in the store's time zone.
/// </summary>
internal sealed class WooCommerceSetPrices : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.SetPrices", "WooCommerce", "Set prices",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("prices", "Object", true, "json-editor",
                "[{ sku, price, basePrice, compareAtPrice, promotionFrom, promotionTo }] (the prices of Erp.EffectivePrices as they are): basePrice (else price) is the regular price; with a compareAtPrice, price is the sale price from promotionFrom to promotionTo."),
            new InputDescriptor("asOf", "String", Description:
                "When the ERP prices were read (Erp.EffectivePrices' readAt). Given, pushes to the store take turns and a SKU whose pushed price was read later is skipped, so overlapping runs never leave an older price."),
            new InputDescriptor("compare", "Boolean", UiHint: "checkbox", Description: "Read what the store shows first (by id, 100 a request) and set only the items it prices otherwise, each reported as drift (the nightly full upload)."),
        ],
        [
            new OutputDescriptor("updated", "Int32", "Products and variations whose prices the store took."),
            new OutputDescriptor("skipped", "Object", "[{ sku, reason }]: SKUs the store does not have, lines without a price, prices read before the ones already pushed, items the store refused."),
            new OutputDescriptor("refused", "Object", "[{ sku, reason }]: the items the store refused (also in skipped), for a flow to raise and push again."),
            new OutputDescriptor("requests", "Int32", "Batch requests sent."),
            new OutputDescriptor("unchanged", "Int32", "Compared: items that already showed the ERP's prices, not sent."),
            new OutputDescriptor("drift", "Object", "Compared: [{ sku, store, erp }] (each { regularPrice, salePrice, saleFromGmt, saleToGmt }) the store showed otherwise, then set."),
            new OutputDescriptor("reads", "Int32", "Compared: requests that read what the store showed."),
        ],
        ["Done"],
        Description: "Pushes ERP prices and promotions (as scheduled sale prices) to WooCommerce products and variations, 100 a batch.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var prices = context.Services?.GetService<WooCommercePrices>() ?? throw new InvalidOperationException("WooCommerce.SetPrices needs the WooCommerce connector's services.");
        var lines = (context.JsonInput("prices") switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            null => [],
            var other => throw new InvalidOperationException($"WooCommerce.SetPrices: 'prices' must be an array of objects, not {other.GetValueKind()}."),
        }).Select(Read).ToList();

        var store = context.Services!.GetRequiredService<WooCommerceStores>().Get(context.Input<string>("store")).Key;
        var compare = context.HasInput("compare") && context.Input<bool>("compare");
        var push = context.Input<string>("asOf") is { Length: > 0 } asOf
            ? await context.Services!.GetRequiredService<PricePushOrder>().PushAsync(
                store, DateTimeOffset.Parse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), lines,
                fresh => prices.SetPricesAsync(store, fresh, compare, context.CancellationToken), context.CancellationToken)
            : await prices.SetPricesAsync(store, lines, compare, context.CancellationToken);

        context.SetOutput("updated", push.Updated);
        context.SetOutput("skipped", new JsonArray([.. push.Skipped.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["reason"] = s.Reason })]));
        context.SetOutput("refused", new JsonArray([.. push.Skipped.Where(s => s.Refused).Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["reason"] = s.Reason })]));
        context.SetOutput("requests", push.Requests);
        context.SetOutput("unchanged", push.Unchanged);
        context.SetOutput("drift", new JsonArray([.. push.Drift.Select(d => (JsonNode?)new JsonObject { ["sku"] = d.Sku, ["store"] = Shown(d.Store), ["erp"] = Shown(d.Erp) })]));
        context.SetOutput("reads", push.Reads);
        return ActivityResult.Done;
    }

    // A promotion's price is the sale price only while it is below the base: compareAtPrice is the base it was taken from.
    internal static WooCommercePrice Read(JsonObject line)
    {
        var price = Number(line["price"]);
        var basePrice = Number(line["basePrice"]) ?? Number(line["compareAtPrice"]) ?? price;
        var onSale = Number(line["compareAtPrice"]) is not null && price < basePrice;
        return new WooCommercePrice(Text(line["sku"]), basePrice, onSale ? price : null,
            onSale ? Date(line["promotionFrom"]) : null, onSale ? Date(line["promotionTo"]) : null);
    }

    private static JsonObject Shown(ShownPrice price) => new()
    {
        ["regularPrice"] = price.RegularPrice, ["salePrice"] = price.SalePrice, ["saleFromGmt"] = price.SaleFromGmt, ["saleToGmt"] = price.SaleToGmt,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    private static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static DateOnly? Date(JsonNode? node) =>
        Text(node) is { Length: > 0 } text ? DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
}
