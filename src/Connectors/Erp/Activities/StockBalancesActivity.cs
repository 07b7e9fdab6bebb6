using System.Text.Json.Nodes;
using Integration.Erp.Stock;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.StockBalances</c>: the stock balances of given SKUs now, each with its available-to-promise quantity, the
/// same shape as <c>Erp.StockChanges</c>' balances. A product sync hands them to the store for the variants it creates,
/// so a new product starts with the ERP's stock rather than none until its stock next changes.
/// </summary>
internal sealed class StockBalancesActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.StockBalances", "ERP", "Stock balances",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("skus", "Object", true, "json-editor", "The SKUs, e.g. Erp.GetCatalogueItem's skus."),
            new InputDescriptor("warehouses", "Object", false, "json-editor", "Only these warehouses (e.g. the ones mapped to store locations)."),
            StoreOrdersInput.Descriptor("off availableToPromise"),
        ],
        [
            new OutputDescriptor("balances", "Object", "[{ sku, warehouse, actualQty, reservedQty, availableToPromise, ... }]; a SKU without stock anywhere has none."),
        ],
        ["Done"],
        Description: "Reads the stock balances of the given SKUs now.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var feed = context.Services!.GetRequiredService<StockFeed>();
        var skus = ErpJson.Node(context, "skus") is JsonArray list ? list.Select(s => ((string?)s)?.Trim()).OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList() : [];
        var warehouses = context.HasInput("warehouses") && ErpJson.Node(context, "warehouses") is JsonArray only ? only.Select(w => (string)w!).ToList() : null;
        var balances = await feed.BalancesOfAsync(context.Input<string>("company")!, skus, warehouses, context.CancellationToken, StoreOrdersInput.Read(context, "Erp.StockBalances"));
        context.SetOutput("balances", ErpJson.ToNode(balances));
        return ActivityResult.Done;
    }
}
