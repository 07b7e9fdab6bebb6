using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Fulfillment orders and fulfillments: each order gets one fulfillment order at the first location holding all its
/// line items (open until fulfilled); a fulfillment closes its fulfillment orders and records its tracking.
/// </summary>
public sealed partial class ShopifyShopState
{
    private readonly Dictionary<long, List<SimulatedFulfillmentOrder>> _fulfillmentOrders = [];
    private readonly Dictionary<long, List<SimulatedFulfillment>> _fulfillments = [];

    /// <summary>The order's fulfillment orders (created on first look, as Shopify creates them with the order).</summary>
    public IReadOnlyList<SimulatedFulfillmentOrder> FulfillmentOrders(long orderId)
    {
        lock (Gate)
        {
            return [.. FulfillmentOrdersOf(orderId)];
        }
    }

    /// <summary>The order's fulfillments, oldest first, with their tracking.</summary>
    public IReadOnlyList<SimulatedFulfillment> Fulfillments(long orderId)
    {
        lock (Gate)
        {
            return _fulfillments.TryGetValue(orderId, out var list) ? [.. list] : [];
        }
    }

    internal List<SimulatedFulfillmentOrder> FulfillmentOrdersOf(long orderId)
    {
        if (_fulfillmentOrders.TryGetValue(orderId, out var list))
        {
            return list;
        }

        list = [];
        if (_orders.TryGetValue(orderId, out var order))
        {
            var lines = (order["line_items"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(l => new SimulatedFulfillmentLine(NextId(), l["id"]!.GetValue<long>(), l["quantity"]?.GetValue<int>() ?? 1))
                .ToList();
            var closed = order["fulfillment_status"]?.GetValue<string>() == "fulfilled" || order["cancelled_at"] is JsonValue;
            list.Add(new SimulatedFulfillmentOrder(NextId(), orderId, _locations[0].Id, lines) { Status = closed ? "CLOSED" : "OPEN" });
        }

        _fulfillmentOrders[orderId] = list;
        return list;
    }

    internal SimulatedFulfillmentOrder? FulfillmentOrderById(long id) =>
        _fulfillmentOrders.Values.SelectMany(l => l).FirstOrDefault(f => f.Id == id);

    internal SimulatedFulfillment AddFulfillment(long orderId, IReadOnlyList<SimulatedFulfillmentOrder> from, string? company, string? number, string? url, bool notifyCustomer)
    {
        var lines = new List<SimulatedFulfillmentLine>();
        foreach (var fulfillmentOrder in from)
        {
            foreach (var line in fulfillmentOrder.LineItems.Where(l => l.Remaining > 0))
            {
                lines.Add(line with { });
                line.Remaining = 0;
            }

            fulfillmentOrder.Status = "CLOSED";
        }

        var fulfillment = new SimulatedFulfillment(NextId(), orderId, [.. from.Select(f => f.Id)], company, number, url, notifyCustomer, lines);
        if (!_fulfillments.TryGetValue(orderId, out var list))
        {
            _fulfillments[orderId] = list = [];
        }

        list.Add(fulfillment);
        if (_orders.TryGetValue(orderId, out var order))
        {
            order["fulfillment_status"] = FulfillmentOrdersOf(orderId).All(f => f.Status == "CLOSED") ? "fulfilled" : "partial";
        }

        return fulfillment;
    }
}

/// <summary>A fulfillment order: the line items one location is to ship, and whether it is still OPEN.</summary>
public sealed record SimulatedFulfillmentOrder(long Id, long OrderId, long LocationId, IReadOnlyList<SimulatedFulfillmentLine> LineItems)
{
    public string Status { get; internal set; } = "OPEN";
}

/// <summary>A fulfillment order line: the order's line item and how many of it are left to ship.</summary>
public sealed record SimulatedFulfillmentLine(long Id, long LineItemId, int Quantity)
{
    public int Remaining { get; internal set; } = Quantity;
}

/// <summary>A fulfillment: the fulfillment orders it closed, its tracking, whether the customer was notified, the lines shipped.</summary>
public sealed record SimulatedFulfillment(
    long Id, long OrderId, IReadOnlyList<long> FulfillmentOrderIds, string? TrackingCompany, string? TrackingNumber, string? TrackingUrl,
    bool NotifyCustomer, IReadOnlyList<SimulatedFulfillmentLine> LineItems);
