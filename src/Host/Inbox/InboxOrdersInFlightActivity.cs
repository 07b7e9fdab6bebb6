using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Webhooks;

namespace Integration.Host.Inbox;

/// <summary>
/// <c>Inbox.OrdersInFlight</c>: the stock the orders of a company's stores took (every store of every storefront that
/// books in it) while the host has not carried them through (<see cref="UnfinishedDeliveries"/>), as
/// <c>Erp.StockChanges</c>' <c>storeOrders</c>. Each storefront reads its own orders (<see cref="IStoreOrderStock"/>).
/// </summary>
internal sealed class InboxOrdersInFlightActivity : FlowActivity
{
    private const int DefaultLimit = 1000;

    public override ActivityDescriptor Descriptor { get; } = new(
        "Inbox.OrdersInFlight", "Sync", "Orders in flight",
        [
            new InputDescriptor("company", "String", true, Description: "The ERP company whose stores' orders are read."),
            new InputDescriptor("limit", "Int32", Description: "At most this many orders per storefront (Shopify, WooCommerce), those delivered last first (default 1000)."),
        ],
        [
            new OutputDescriptor("storeOrders", "Object", "[{ source: { system, store, id }, lines: [{ sku, warehouse, qty }] }]: what each order took from the store's stock."),
            new OutputDescriptor("orders", "Int32", "Orders in flight that took stock."),
        ],
        ["Done"],
        Description: "Reads the orders the company's stores took that the host has not carried through yet (waiting, running, or at an incident), with the stock each took.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var services = context.Services ?? throw new InvalidOperationException("Inbox.OrdersInFlight needs the host's services.");
        var deliveries = services.GetService<UnfinishedDeliveries>() ?? throw new InvalidOperationException("Inbox.OrdersInFlight needs the host's inbox.");
        var company = context.Input<string>("company");
        if (string.IsNullOrWhiteSpace(company))
        {
            throw new InvalidOperationException("Inbox.OrdersInFlight: 'company' is empty.");
        }

        var limit = Math.Max(1, context.HasInput("limit") ? context.Input<int>("limit") : DefaultLimit);
        var orders = new JsonArray();
        foreach (var storefront in services.GetServices<IStoreOrderStock>())
        {
            // One read per storefront for all its stores of the company (every store's push reads them all).
            var stores = storefront.Stores(company).GroupBy(s => s.InboxStore.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
            foreach (var (inboxStore, document) in await deliveries.NewestAsync(storefront.Source, stores.Keys, "order", limit, context.CancellationToken))
            {
                var store = stores[inboxStore];
                var taken = storefront.Taken(document, store);
                if (taken.Count > 0)
                {
                    orders.Add(new JsonObject
                    {
                        ["source"] = new JsonObject { ["system"] = storefront.Source, ["store"] = store.Key, ["id"] = taken[0].OrderId },
                        ["lines"] = new JsonArray([.. taken.Select(t => (JsonNode)new JsonObject { ["sku"] = t.Sku, ["warehouse"] = t.Warehouse, ["qty"] = t.Qty })]),
                    });
                }
            }
        }

        context.SetOutput("storeOrders", orders);
        context.SetOutput("orders", orders.Count);
        return ActivityResult.Done;
    }
}
