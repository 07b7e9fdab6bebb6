using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Inventory;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.SetStock</c>: sets the store's stock quantities to the ERP's available-to-promise (the <c>balances</c>
/// of <c>Erp.StockChanges</c> as they are), through the batch endpoints at 100 objects a request.
/// </summary>
internal sealed class WooCommerceSetStock : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.SetStock", "WooCommerce", "Set stock",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("quantities", "Object", true, "json-editor",
                "[{ sku, warehouse, availableToPromise }] (the balances of Erp.StockChanges). Rounded down, never below 0; lines of other warehouses than the store's are skipped."),
            new InputDescriptor("compare", "Boolean", UiHint: "checkbox", Description: "Read what the store shows first (by id, 100 a request) and set only what differs, reporting each difference as drift (the nightly full upload)."),
        ],
        [
            new OutputDescriptor("set", "Int32", "Stock quantities the store accepted."),
            new OutputDescriptor("skipped", "Object", "[{ sku, warehouse, reason }]: SKUs the store does not have, other warehouses, items the store refused."),
            new OutputDescriptor("requests", "Int32", "Batch requests sent."),
            new OutputDescriptor("unchanged", "Int32", "Compared: quantities the store already showed, not sent."),
            new OutputDescriptor("drift", "Object", "Compared: [{ sku, warehouse, store, erp }] the store showed otherwise, then set (store null: its stock was not managed)."),
            new OutputDescriptor("reads", "Int32", "Compared: requests that read what the store showed."),
        ],
        ["Done"],
        Description: "Pushes ERP stock to a WooCommerce store: stock_quantity is set (managed), not adjusted.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var inventory = context.Services?.GetService<WooCommerceInventory>() ?? throw new InvalidOperationException("WooCommerce.SetStock needs the WooCommerce connector's services.");
        var lines = (context.JsonInput("quantities") switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            null => [],
            var other => throw new InvalidOperationException($"WooCommerce.SetStock: 'quantities' must be an array of objects, not {other.GetValueKind()}."),
        }).Select(Read).ToList();

        var compare = context.HasInput("compare") && context.Input<bool>("compare");
        var push = await inventory.SetStockAsync(context.Input<string>("store"), lines, compare, context.CancellationToken);
        context.SetOutput("set", push.Set);
        context.SetOutput("skipped", new JsonArray([.. push.Skipped.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["warehouse"] = s.Warehouse, ["reason"] = s.Reason })]));
        context.SetOutput("requests", push.Requests);
        context.SetOutput("unchanged", push.Unchanged);
        context.SetOutput("drift", new JsonArray([.. push.Drift.Select(d => (JsonNode?)new JsonObject { ["sku"] = d.Sku, ["warehouse"] = d.Warehouse, ["store"] = d.StoreQuantity, ["erp"] = d.ErpQuantity })]));
        context.SetOutput("reads", push.Reads);
        return ActivityResult.Done;
    }

    /// <summary>A balance of Erp.StockChanges or Erp.StockBalances ('available' is read too).</summary>
    internal static StockLine Read(JsonObject balance) =>
        new(Text(balance["sku"]), Text(balance["warehouse"]), Number(balance["availableToPromise"]) ?? Number(balance["available"]));

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    private static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
