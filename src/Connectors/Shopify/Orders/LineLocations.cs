using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// Each line's <c>location_id</c>: the location Shopify routed it to, whose stock the sale takes (the order mapping books
/// the line out of the warehouse that location stands for). Read from the order's fulfillment orders, one per location;
/// cancelled ones left out (a fulfillment order moved to another location is cancelled or shrunk, and its lines appear on
/// the new one). A line split over several locations takes the one with most of its units (the first of equals): the
/// ERP books a line from one warehouse. A webhook's order has no fulfillment orders, and its lines no location.
/// </summary>
internal static class LineLocations
{
    public static void Add(JsonObject order, JsonNode? fulfillmentOrders)
    {
        var units = new Dictionary<long, List<(long Location, decimal Quantity)>>();
        foreach (var fulfillmentOrder in (fulfillmentOrders?["nodes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (RestOrderShape.Text(fulfillmentOrder["status"]) == "CANCELLED"
                || RestOrderShape.Id(fulfillmentOrder["assignedLocation"]?["location"]?["id"]) is not { } locationId)
            {
                continue;
            }

            var location = locationId.GetValue<long>();
            foreach (var line in (fulfillmentOrder["lineItems"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (RestOrderShape.Id(line["lineItem"]?["id"]) is not { } lineId)
                {
                    continue;
                }

                var quantity = line["totalQuantity"] is JsonValue q && q.TryGetValue<decimal>(out var n) ? n : 0m;
                if (!units.TryGetValue(lineId.GetValue<long>(), out var at))
                {
                    units[lineId.GetValue<long>()] = at = [];
                }

                var index = at.FindIndex(a => a.Location == location);
                if (index < 0)
                {
                    at.Add((location, quantity));
                }
                else
                {
                    at[index] = (location, at[index].Quantity + quantity);
                }
            }
        }

        foreach (var line in (order["line_items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (line["id"] is JsonValue id && id.TryGetValue<long>(out var lineId) && units.TryGetValue(lineId, out var at) && at.Count > 0)
            {
                line["location_id"] = at.Aggregate((most, next) => next.Quantity > most.Quantity ? next : most).Location;
            }
        }
    }
}
