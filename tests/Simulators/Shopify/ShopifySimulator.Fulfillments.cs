using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>An order's fulfillment orders and fulfillments (query <c>FulfillmentOrders</c>), and <c>fulfillmentCreate</c>.</summary>
public sealed partial class ShopifySimulator
{
    // Requested: the order 1, each fulfillment 1 + its tracking list, each fulfillment order 1 + its location 2.
    private static double FulfillmentOrdersCost(int fulfillments, int fulfillmentOrders) => 1 + (fulfillments * 2) + 2 + (fulfillmentOrders * 3);

    // The order read's fulfillment orders (queries Order and OrderFulfillmentOrders): each with its location and a page of
    // its lines; the cost actually spent is the connection's 2 plus, per fulfillment order, 3 for it and its location and
    // 2 + 2 per line for its lines.
    private (JsonObject Connection, double Actual) FulfillmentOrderConnection(long orderId, int first, string? after, int linesFirst)
    {
        var page = GraphQLOrder.Page(State.FulfillmentOrdersOf(orderId), first, after, f => new JsonObject
        {
            ["id"] = Gid("FulfillmentOrder", f.Id),
            ["status"] = f.Status,
            ["assignedLocation"] = new JsonObject { ["location"] = new JsonObject { ["id"] = Gid("Location", f.LocationId) } },
            ["lineItems"] = FulfillmentOrderLines(f, linesFirst, null),
        });
        var actual = 2 + ((JsonArray)page["nodes"]!).OfType<JsonObject>().Sum(f => 5 + (2 * ((JsonArray)f["lineItems"]!["nodes"]!).Count));
        return (page, actual);
    }

    private static JsonObject FulfillmentOrderLines(SimulatedFulfillmentOrder order, int first, string? after) =>
        GraphQLOrder.Page(order.LineItems, first, after, l => new JsonObject
        {
            ["totalQuantity"] = l.Quantity,
            ["remainingQuantity"] = l.Remaining,
            ["lineItem"] = new JsonObject { ["id"] = Gid("LineItem", l.LineItemId) },
        });

    private (JsonObject, double) OrderFulfillmentOrders(GraphQLCall call)
    {
        var id = NumericId(call.Variables["id"]);
        if (State.StoredOrder(id) is null)
        {
            return (Data(new JsonObject { ["order"] = null }), 1);
        }

        var (connection, actual) = FulfillmentOrderConnection(id, call.First(20), call.Variables["after"]?.GetValue<string>(), call.FirstOf("lineItems", 10));
        return (Data(new JsonObject { ["order"] = new JsonObject { ["fulfillmentOrders"] = connection } }), 1 + actual);
    }

    private (JsonObject, double) FulfillmentOrderLineItems(GraphQLCall call)
    {
        var order = State.FulfillmentOrderById(NumericId(call.Variables["id"]));
        if (order is null)
        {
            return (Data(new JsonObject { ["fulfillmentOrder"] = null }), 1);
        }

        var lines = FulfillmentOrderLines(order, call.First(50), call.Variables["after"]?.GetValue<string>());
        return (Data(new JsonObject { ["fulfillmentOrder"] = new JsonObject { ["lineItems"] = lines } }), 3 + (2 * ((JsonArray)lines["nodes"]!).Count));
    }

    private (JsonObject, double) FulfillmentOrders(GraphQLCall call)
    {
        var id = NumericId(call.Variables["id"]);
        if (State.Order(id) is null)
        {
            return (Data(new JsonObject { ["order"] = null }), 1);
        }

        var fulfillments = State.Fulfillments(id).Take(call.FirstOf("fulfillments", 50)).ToList();
        var orders = State.FulfillmentOrdersOf(id).Take(call.FirstOf("fulfillmentOrders", 20)).ToList();
        return (Data(new JsonObject
        {
            ["order"] = new JsonObject
            {
                ["id"] = Gid("Order", id),
                ["fulfillments"] = new JsonArray([.. fulfillments.Select(f => (JsonNode?)FulfillmentNode(f))]),
                ["fulfillmentOrders"] = new JsonObject
                {
                    ["nodes"] = new JsonArray([.. orders.Select(f => (JsonNode?)new JsonObject
                    {
                        ["id"] = Gid("FulfillmentOrder", f.Id),
                        ["status"] = f.Status,
                        ["assignedLocation"] = new JsonObject { ["location"] = new JsonObject { ["id"] = Gid("Location", f.LocationId) } },
                    })]),
                    ["pageInfo"] = new JsonObject { ["hasNextPage"] = false, ["endCursor"] = null },
                },
            },
        }), FulfillmentOrdersCost(fulfillments.Count, orders.Count));
    }

    private (JsonObject, double) FulfillmentCreate(GraphQLCall call)
    {
        var input = call.Variables["fulfillment"] as JsonObject ?? [];
        var groups = (input["lineItemsByFulfillmentOrder"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var errors = new List<(string[] Field, string? Code, string Message)>();
        var orders = new List<SimulatedFulfillmentOrder>();
        foreach (var group in groups)
        {
            var fulfillmentOrder = State.FulfillmentOrderById(NumericId(group["fulfillmentOrderId"]));
            if (fulfillmentOrder is null)
            {
                errors.Add((["fulfillment", "lineItemsByFulfillmentOrder", "fulfillmentOrderId"], null, "Fulfillment order does not exist."));
            }
            else if (fulfillmentOrder.Status != "OPEN" && fulfillmentOrder.Status != "IN_PROGRESS")
            {
                errors.Add((["fulfillment"], null, $"Fulfillment order {fulfillmentOrder.Id} has an unfulfillable status= {fulfillmentOrder.Status.ToLowerInvariant()}."));
            }
            else
            {
                orders.Add(fulfillmentOrder);
            }
        }

        if (groups.Count == 0)
        {
            errors.Add((["fulfillment", "lineItemsByFulfillmentOrder"], null, "Line items by fulfillment order must not be empty."));
        }
        else if (orders.Select(o => o.OrderId).Distinct().Count() > 1 || orders.Select(o => o.LocationId).Distinct().Count() > 1)
        {
            errors.Add((["fulfillment"], null, "All fulfillment orders must belong to the same order and be assigned to the same location."));
        }

        SimulatedFulfillment? created = null;
        if (errors.Count == 0)
        {
            var tracking = input["trackingInfo"] as JsonObject;
            created = State.AddFulfillment(orders[0].OrderId, orders, GraphQLOrder.Text(tracking?["company"]), GraphQLOrder.Text(tracking?["number"]),
                GraphQLOrder.Text(tracking?["url"]), input["notifyCustomer"]?.GetValue<bool>() ?? false);
        }

        return (Data(new JsonObject
        {
            ["fulfillmentCreate"] = new JsonObject
            {
                ["fulfillment"] = created is null ? null : FulfillmentNode(created),
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost);
    }

    // fulfillmentTrackingInfoUpdate: the fulfillment's tracking replaced by the input's, one number (number, url) or several
    // (numbers, urls); both forms at once are refused, as Shopify documents.
    private (JsonObject, double) FulfillmentTrackingInfoUpdate(GraphQLCall call)
    {
        var fulfillment = State.FulfillmentById(NumericId(call.Variables["fulfillmentId"]));
        var input = call.Variables["trackingInfoInput"] as JsonObject ?? [];
        var numbers = input["numbers"] is JsonArray many ? [.. many.Select(n => GraphQLOrder.Text(n))] : new List<string?> { GraphQLOrder.Text(input["number"]) };
        var urls = input["urls"] is JsonArray manyUrls ? [.. manyUrls.Select(u => GraphQLOrder.Text(u))] : new List<string?> { GraphQLOrder.Text(input["url"]) };
        var errors = new List<(string[] Field, string? Code, string Message)>();
        if (fulfillment is null)
        {
            errors.Add((["fulfillmentId"], null, "Fulfillment does not exist."));
        }
        else if ((input["number"] is not null && input["numbers"] is not null) || (input["url"] is not null && input["urls"] is not null))
        {
            errors.Add((["trackingInfoInput"], null, "Provide either number and url or numbers and urls, not both."));
        }
        else
        {
            fulfillment.Tracking = [.. numbers.Select((n, i) => (n, i < urls.Count ? urls[i] : null))];
        }

        return (Data(new JsonObject
        {
            ["fulfillmentTrackingInfoUpdate"] = new JsonObject
            {
                ["fulfillment"] = errors.Count > 0 ? null : FulfillmentNode(fulfillment!),
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost);
    }

    private static JsonObject FulfillmentNode(SimulatedFulfillment fulfillment) => new()
    {
        ["id"] = Gid("Fulfillment", fulfillment.Id),
        ["status"] = fulfillment.Status,
        ["trackingInfo"] = new JsonArray([.. fulfillment.Tracking.Select(t => (JsonNode?)new JsonObject { ["company"] = fulfillment.TrackingCompany, ["number"] = t.Number, ["url"] = t.Url })]),
    };

    private static string Gid(string type, long id) => "gid://shopify/" + type + "/" + id.ToString(CultureInfo.InvariantCulture);
}
