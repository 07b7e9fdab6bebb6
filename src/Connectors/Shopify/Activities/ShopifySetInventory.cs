using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Inventory;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.SetInventory</c>: sets the store's available quantities to the ERP's available-to-promise (the
/// <c>balances</c> of <c>Erp.StockChanges</c> as they are), in requests of 250 paced by the store's rate limit.
/// </summary>
internal sealed class ShopifySetInventory : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.SetInventory", "Shopify", "Set inventory",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("quantities", "Object", true, "json-editor",
                "[{ sku, warehouse, availableToPromise }] (the balances of Erp.StockChanges; 'available' is read too). Rounded down, never below 0; no warehouse: the store's Warehouse."),
            new InputDescriptor("reason", "String", false, Description: "Shopify's reason for the change (default correction)."),
            new InputDescriptor("reference", "String", false, Description: "Names this push in the store's inventory history (gid://integration-host/StockSync/<reference>); the run's id when empty."),
            new InputDescriptor("compare", "Boolean", false, Description: "Read what the store shows first and set only the quantities that differ, each reported as drift (the nightly full upload)."),
        ],
        [
            new OutputDescriptor("set", "Int32", "Quantities set (one per inventory item and location)."),
            new OutputDescriptor("skipped", "Object", "[{ sku, warehouse, reason }]: SKUs the store does not have, warehouses mapped to no location, lines the store refused."),
            new OutputDescriptor("requests", "Int32", "inventorySetQuantities requests sent."),
            new OutputDescriptor("unchanged", "Int32", "Compared: quantities the store already showed (not sent)."),
            new OutputDescriptor("shared", "Object", "SKUs the store has on more than one variant: each was shown the whole balance (make them unique in Shopify)."),
            new OutputDescriptor("drift", "Object", "Compared: [{ sku, warehouse, store, erp }] quantities the store showed otherwise (store null: not stocked there), then set to the ERP's."),
        ],
        ["Done"],
        Description: "Pushes ERP stock to a Shopify store: the ERP is the source of truth, Shopify's available quantity is set, not adjusted.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var inventory = context.Services?.GetService<ShopifyInventory>() ?? throw new InvalidOperationException("Shopify.SetInventory needs the Shopify connector's services.");
        var lines = ActivityJson.Objects(context, "quantities").Select(Read).ToList();
        var reason = context.Input<string>("reason") is { Length: > 0 } r ? r : "correction";
        var reference = context.Input<string>("reference") is { Length: > 0 } given ? given : context.State.InstanceId + "-" + context.Node.Id;

        var push = await inventory.SetAvailableAsync(context.Input<string>("store"), lines, reason, reference, context.HasInput("compare") && context.Input<bool>("compare"), context.CancellationToken);

        context.SetOutput("set", push.Set);
        context.SetOutput("skipped", new JsonArray([.. push.Skipped.Select(s => (JsonNode?)new JsonObject { ["sku"] = s.Sku, ["warehouse"] = s.Warehouse, ["reason"] = s.Reason })]));
        context.SetOutput("requests", push.Requests);
        context.SetOutput("unchanged", push.Unchanged);
        context.SetOutput("shared", new JsonArray([.. push.Shared.Take(100).Select(s => (JsonNode?)s)]));
        context.SetOutput("drift", new JsonArray([.. push.Drift.Select(d => (JsonNode?)new JsonObject
        {
            ["sku"] = d.Sku, ["warehouse"] = d.Warehouse, ["store"] = d.StoreQuantity, ["erp"] = d.ErpQuantity,
        })]));
        return ActivityResult.Done;
    }

    /// <summary>A balance of Erp.StockChanges or Erp.StockBalances ('available' is read too).</summary>
    internal static StockQuantity Read(JsonObject balance) =>
        new(ActivityJson.Text(balance["sku"]), ActivityJson.Text(balance["warehouse"]), ActivityJson.Number(balance["availableToPromise"]) ?? ActivityJson.Number(balance["available"]));
}
