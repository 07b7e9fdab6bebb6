using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Erp.Stock;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.StockChanges</c>: a page of the stock balances that changed since a watermark (0 or empty: all, a full
/// re-upload), with each one's available-to-promise quantity. Loop on <c>cursor</c> until it is empty, then keep
/// <c>watermark</c> for the next run. Given the store orders the host has not carried through (<c>storeOrders</c>), the
/// units of those the ERP has not booked are held off available-to-promise (<c>heldQty</c> on the balance).
/// </summary>
internal sealed class StockChangesActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.StockChanges", "ERP", "Stock changes",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("since", "String", Description: "The watermark of the last run; empty or 0: every balance."),
            new InputDescriptor("cursor", "String", Description: "The cursor of the previous page; empty for the first."),
            new InputDescriptor("pageSize", "Int32", Description: "Balances per page (default 250, Shopify's largest input array)."),
            new InputDescriptor("warehouses", "Object", false, "json-editor", "Only these warehouses (e.g. the ones mapped to store locations)."),
            StoreOrdersInput.Descriptor("heldQty on the balance"),
        ],
        [
            new OutputDescriptor("balances", "Object", "[{ sku, warehouse, actualQty, reservedQty, availableToPromise, heldQty?, ... }]"),
            new OutputDescriptor("cursor", "String", "The next page's cursor; null after the last page."),
            new OutputDescriptor("watermark", "String", "The watermark to keep once every page is pushed."),
        ],
        ["Done"],
        Description: "Reads the stock balances changed since the last run, page by page.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var feed = context.Services!.GetRequiredService<StockFeed>();
        var since = context.Input<string>("since") is { Length: > 0 } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;
        var warehouses = context.HasInput("warehouses") && ErpJson.Node(context, "warehouses") is System.Text.Json.Nodes.JsonArray list
            ? list.Select(w => (string)w!).ToList()
            : null;
        var storeOrders = StoreOrdersInput.Read(context, "Erp.StockChanges");
        var page = await feed.ChangesAsync(context.Input<string>("company")!, since, context.Input<string>("cursor") is { Length: > 0 } c ? c : null,
            context.HasInput("pageSize") ? context.Input<int>("pageSize") : 250, warehouses, context.CancellationToken, storeOrders);
        var balances = (JsonArray)ErpJson.ToNode(page.Balances)!;
        for (var i = 0; i < page.Balances.Count; i++)
        {
            if (page.Held?.TryGetValue((page.Balances[i].Sku, page.Balances[i].Warehouse), out var held) == true)
            {
                balances[i]!["heldQty"] = held;
            }
        }

        context.SetOutput("balances", balances);
        context.SetOutput("cursor", page.Cursor);
        context.SetOutput("watermark", page.Watermark.ToString(CultureInfo.InvariantCulture));
        return ActivityResult.Done;
    }

}
