using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// Fulfillment orders and fulfillments: an order's lines are routed to locations by their units available (one
/// fulfillment order per location, open until fulfilled); a fulfillment closes its fulfillment orders and records its
/// tracking. Routing does not take the units off the location's available quantity (the simulator keeps no committed
/// stock).
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
            var closed = order["fulfillment_status"]?.GetValue<string>() == "fulfilled" || order["cancelled_at"] is JsonValue;
            foreach (var (location, lines) in Route(order))
            {
                list.Add(new SimulatedFulfillmentOrder(NextId(), orderId, location, lines) { Status = closed ? "CLOSED" : "OPEN" });
            }
        }

        _fulfillmentOrders[orderId] = list;
        return list;
    }

    // Shopify's default order routing: the first location (in the shop's order) that has every line's units available
    // ships the whole order; when none has, each line goes to the locations in order, as many units from each as it has
    // available, the rest to the first location. Lines of items not stocked anywhere go to the first location.
    private List<(long Location, List<SimulatedFulfillmentLine> Lines)> Route(JsonObject order)
    {
        var lines = (order["line_items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(l => (Id: l["id"]!.GetValue<long>(), Quantity: l["quantity"]?.GetValue<int>() ?? 1, Item: l["sku"]?.GetValue<string>() is { } sku ? ItemBySku(sku) : null))
            .ToList();
        int Available((long Id, int Quantity, SimulatedInventoryItem? Item) line, long location) =>
            line.Item?.Available.GetValueOrDefault(location) ?? 0;
        var tracked = lines.Where(l => l.Item is { Available.Count: > 0 }).ToList();
        var whole = tracked.Count == 0 ? _locations[0].Id
            : _locations.FirstOrDefault(location => tracked.All(l => Available(l, location.Id) >= l.Quantity))?.Id;
        var placed = new List<(long Location, List<SimulatedFulfillmentLine> Lines)>();
        List<SimulatedFulfillmentLine> At(long location)
        {
            var index = placed.FindIndex(p => p.Location == location);
            if (index < 0)
            {
                placed.Add((location, []));
                index = placed.Count - 1;
            }

            return placed[index].Lines;
        }

        foreach (var line in lines)
        {
            if (whole is not null || line.Item is not { Available.Count: > 0 })
            {
                At(whole ?? _locations[0].Id).Add(new SimulatedFulfillmentLine(NextId(), line.Id, line.Quantity));
                continue;
            }

            var left = line.Quantity;
            foreach (var location in _locations)
            {
                var units = Math.Min(left, Math.Max(0, Available(line, location.Id)));
                if (units > 0)
                {
                    At(location.Id).Add(new SimulatedFulfillmentLine(NextId(), line.Id, units));
                    left -= units;
                }
            }

            if (left > 0)
            {
                At(_locations[0].Id).Add(new SimulatedFulfillmentLine(NextId(), line.Id, left));
            }
        }

        return placed.Count > 0 ? placed : [(_locations[0].Id, [])];
    }

    /// <summary>A fulfillment order cancelled in the store (its lines no longer ship from its location).</summary>
    public void CancelFulfillmentOrder(long id)
    {
        lock (Gate)
        {
            (FulfillmentOrderById(id) ?? throw new InvalidOperationException($"No fulfillment order {id}.")).Status = "CANCELLED";
        }
    }

    internal SimulatedFulfillmentOrder? FulfillmentOrderById(long id) =>
        _fulfillmentOrders.Values.SelectMany(l => l).FirstOrDefault(f => f.Id == id);

    internal SimulatedFulfillment? FulfillmentById(long id) => _fulfillments.Values.SelectMany(l => l).FirstOrDefault(f => f.Id == id);

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

/// <summary>
/// A fulfillment: the fulfillment orders it closed, its tracking (the first number, and every number once parcels were
/// added by <c>fulfillmentTrackingInfoUpdate</c>), whether the customer was notified, the lines shipped, its status.
/// </summary>
public sealed record SimulatedFulfillment(
    long Id, long OrderId, IReadOnlyList<long> FulfillmentOrderIds, string? TrackingCompany, string? TrackingNumber, string? TrackingUrl,
    bool NotifyCustomer, IReadOnlyList<SimulatedFulfillmentLine> LineItems)
{
    /// <summary>SUCCESS, or CANCELLED once a test cancels it.</summary>
    public string Status { get; set; } = "SUCCESS";

    /// <summary>Every parcel's tracking number and URL, the first one's first.</summary>
    public IReadOnlyList<(string? Number, string? Url)> Tracking { get; internal set; } = [(TrackingNumber, TrackingUrl)];
}
