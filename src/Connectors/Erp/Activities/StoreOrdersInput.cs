using Integration.Erp.Sales;
using Integration.Erp.Stock;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// The <c>storeOrders</c> input of the stock reads (<c>Inbox.OrdersInFlight</c>'s output): orders stores took that the
/// host has not carried through, whose units the ERP has not booked are held off available-to-promise.
/// </summary>
internal static class StoreOrdersInput
{
    public static InputDescriptor Descriptor(string activity) => new("storeOrders", "Object", false, "json-editor",
        $"Orders stores took that the host has not carried through: [{{ source: {{ system, store, id }}, lines: [{{ sku, warehouse, qty }}] }}]. Units of those the ERP has not booked are held ({activity}).");

    public static List<StoreOrderLine>? Read(ActivityContext context, string activity) =>
        context.HasInput("storeOrders") ? Lines(ErpJson.Read<List<StoreOrder>?>(context, "storeOrders"), activity) : null;

    // Lines without a SKU, a warehouse or a quantity hold nothing; an order without a whole source is the flow's mistake.
    private static List<StoreOrderLine> Lines(List<StoreOrder>? orders, string activity) =>
        [.. (orders ?? []).SelectMany(o => (o.Lines ?? [])
            .Where(l => !string.IsNullOrWhiteSpace(l.Sku) && !string.IsNullOrWhiteSpace(l.Warehouse) && l.Qty > 0)
            .Select(l => new StoreOrderLine(
                o.Source is { System.Length: > 0, Store.Length: > 0, Id.Length: > 0 } source ? source : throw new InvalidOperationException($"{activity}: a store order needs source {{ system, store, id }}."),
                l.Sku!.Trim(), l.Warehouse!.Trim(), l.Qty)))];

    private sealed record StoreOrder(DocumentSource? Source, List<StoreOrderLineInput>? Lines);

    private sealed record StoreOrderLineInput(string? Sku, string? Warehouse, decimal Qty);
}
