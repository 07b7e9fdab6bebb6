using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// Each line's <c>location_id</c>: the location Shopify routed it to, whose stock the sale takes (the order mapping books
/// the line out of the warehouse that location stands for). Read from the order's fulfillment orders, one per location;
/// cancelled ones left out (a fulfillment order moved to another location is cancelled or shrunk, and its lines appear on
/// the new one). A webhook's order has no fulfillment orders, and its lines no location.
/// A line whose units Shopify split over several locations (none had them all) becomes one line per location, in
/// location id order, each with its units and its exact share of the line's discounts and taxes (largest remainder, to
/// the cent or the amount's own finer decimals): the ERP then books each part out of its own warehouse, so the stock
/// pushed back to each location is what it has left. A line edited or refunded since (its units no longer all those it
/// was ordered with, whose money Shopify keeps for all of them), or whose units are not those of its fulfillment
/// orders, takes the location with most of its units, as one line.
/// </summary>
internal static class LineLocations
{
    public static void Add(JsonObject order, JsonNode? fulfillmentOrders)
    {
        var units = Units(fulfillmentOrders);
        if (units.Count == 0 || order["line_items"] is not JsonArray lines)
        {
            return;
        }

        var refunded = SoldQuantities.Refunded(order, _ => true);
        var placed = new List<JsonNode?>(lines.Count);
        foreach (var line in lines.OfType<JsonObject>())
        {
            if (line["id"] is not JsonValue id || !id.TryGetValue<long>(out var lineId) || !units.TryGetValue(lineId, out var at) || at.Count == 0)
            {
                placed.Add(line.DeepClone());
                continue;
            }

            if (at.Count > 1 && Splittable(line, at, refunded.ContainsKey(lineId.ToString(CultureInfo.InvariantCulture))))
            {
                placed.AddRange(Parts(line, [.. at.OrderBy(a => a.Location)]));
                continue;
            }

            var part = (JsonObject)line.DeepClone();
            part["location_id"] = at.Aggregate((most, next) => next.Quantity > most.Quantity ? next : most).Location;
            placed.Add(part);
        }

        order["line_items"] = new JsonArray([.. placed]);
    }

    // Line id -> (location, units) in the fulfillment orders' order.
    private static Dictionary<long, List<(long Location, decimal Quantity)>> Units(JsonNode? fulfillmentOrders)
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

        return units;
    }

    // The fulfillment orders hold exactly the units the line was ordered with, none refunded or edited off since.
    private static bool Splittable(JsonObject line, List<(long Location, decimal Quantity)> at, bool refunded)
    {
        var quantity = SoldQuantities.Number(line["quantity"]);
        return !refunded && quantity > 0 && at.All(a => a.Quantity > 0) && at.Sum(a => a.Quantity) == quantity
            && (line["current_quantity"] is null || SoldQuantities.Number(line["current_quantity"]) == quantity);
    }

    private static List<JsonObject> Parts(JsonObject line, List<(long Location, decimal Quantity)> at)
    {
        var parts = at.Select(a =>
        {
            var part = (JsonObject)line.DeepClone();
            part["location_id"] = a.Location;
            part["quantity"] = a.Quantity;
            if (line["current_quantity"] is not null)
            {
                part["current_quantity"] = a.Quantity;
            }

            return part;
        }).ToList();
        var weights = at.Select(a => a.Quantity).ToArray();
        var whole = Amounts(line).ToList();
        var shares = parts.Select(p => Amounts(p).ToList()).ToList();
        for (var s = 0; s < whole.Count; s++)
        {
            if (RestOrderShape.Text(whole[s].Holder[whole[s].Field]) is not { } text
                || !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                continue;
            }

            // Shopify writes amounts without trailing zeros ("10.0"): shares are cut to the cent, or finer when the amount is.
            var decimals = Math.Max(2, text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0);
            var split = LargestRemainder(amount, weights, decimals);
            for (var p = 0; p < parts.Count; p++)
            {
                shares[p][s].Holder[shares[p][s].Field] = split[p].ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            }
        }

        return parts;
    }

    // The line's money that is a total over its units (not a unit price), in the same order for the line and each copy.
    private static IEnumerable<(JsonObject Holder, string Field)> Amounts(JsonObject line)
    {
        foreach (var site in Money(line, "total_discount"))
        {
            yield return site;
        }

        foreach (var allocation in (line["discount_allocations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var site in Money(allocation, "amount"))
            {
                yield return site;
            }
        }

        foreach (var tax in (line["tax_lines"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var site in Money(tax, "price"))
            {
                yield return site;
            }
        }
    }

    private static IEnumerable<(JsonObject Holder, string Field)> Money(JsonObject holder, string field)
    {
        yield return (holder, field);
        foreach (var money in new[] { "shop_money", "presentment_money" })
        {
            if (holder[field + "_set"]?[money] is JsonObject set)
            {
                yield return (set, "amount");
            }
        }
    }

    // Shares of an amount in proportion to the weights, to the given decimals, adding up to the amount exactly: each
    // share rounded toward zero, the units left over going to the largest remainders (the first of equals).
    internal static decimal[] LargestRemainder(decimal amount, IReadOnlyList<decimal> weights, int decimals)
    {
        var unit = 1m;
        for (var d = 0; d < decimals; d++)
        {
            unit /= 10;
        }

        var total = weights.Sum();
        var exact = weights.Select(w => amount * w / total).ToArray();
        var shares = exact.Select(e => Math.Truncate(e / unit) * unit).ToArray();
        var left = (int)Math.Round((amount - shares.Sum()) / unit);
        var sign = Math.Sign(left);
        foreach (var i in Enumerable.Range(0, shares.Length).OrderByDescending(i => Math.Abs(exact[i] - shares[i])).ThenBy(i => i).Take(Math.Abs(left)))
        {
            shares[i] += sign * unit;
        }

        return shares;
    }
}
