using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integration.Simulators.Shopify;

/// <summary>
/// The operations the simulator serves. Cost model (documented in docs/shopify.md): an object 1, a connection
/// 2 + first × node cost requested and 2 + returned × node cost actual, a mutation 10.
/// </summary>
public sealed partial class ShopifySimulator
{
    private const double MutationCost = 10;

    private sealed record Operation(Func<ShopifySimulator, GraphQLCall, double> Cost, Func<ShopifySimulator, GraphQLCall, (JsonObject Result, double Actual)> Run);

    private static readonly Dictionary<string, Operation> Operations = new(StringComparer.Ordinal)
    {
        ["Shop"] = new((_, c) => 3 + c.FirstOf("locations", 250), (s, c) => s.Shop(c)),
        ["Order"] = new((_, c) => Requested(c), (s, c) => s.Order(c)),
        ["OrderWithLocations"] = new((_, c) => Requested(c), (s, c) => s.Order(c)),
        ["OrderLineItems"] = new((_, c) => Requested(c), (s, c) => s.OrderConnection(c, "lineItems", GraphQLOrder.LineItems)),
        ["OrderFulfillmentOrders"] = new((_, c) => Requested(c), (s, c) => s.OrderFulfillmentOrders(c)),
        ["FulfillmentOrderLineItems"] = new((_, c) => Requested(c), (s, c) => s.FulfillmentOrderLineItems(c)),
        ["OrderShippingLines"] = new((_, c) => Requested(c), (s, c) => s.OrderConnection(c, "shippingLines", GraphQLOrder.ShippingLines)),
        ["RefundLineItems"] = new((_, c) => Requested(c), (s, c) => s.RefundConnection(c, "refundLineItems", (_, r, first, after) => GraphQLOrder.RefundLineItems(r, first, after))),
        ["RefundShippingLines"] = new((_, c) => Requested(c), (s, c) => s.RefundConnection(c, "refundShippingLines", (_, r, first, after) => GraphQLOrder.RefundShippingLines(r, first, after))),
        ["RefundTransactions"] = new((_, c) => Requested(c), (s, c) => s.RefundConnection(c, "transactions",
            (o, r, first, after) => GraphQLOrder.RefundTransactions(r, first, after, o["currency"]?.GetValue<string>(), (o["presentment_currency"] ?? o["currency"])?.GetValue<string>()))),
        ["OrdersUpdatedSince"] = new((_, c) => Requested(c), (s, c) => s.OrdersUpdatedSince(c)),
        ["WebhookSubscriptions"] = new((_, c) => 2 + c.First(50), (s, c) => s.WebhookSubscriptionList(c)),
        ["WebhookSubscriptionCreate"] = new((_, _) => MutationCost, (s, c) => s.WebhookSubscriptionCreate(c)),
        ["VariantsBySku"] = new((_, c) => 2 + (c.First(50) * 4), (s, c) => s.VariantsBySku(c)),
        ["SetInventory"] = new((s, c) => MutationCost + (s.Options.InventoryCostPerQuantity * ((c.Variables["input"]?["quantities"] as JsonArray)?.Count ?? 0)), (s, c) => s.SetInventory(c)),
        ["MetafieldsSet"] = new((_, _) => MutationCost, (s, c) => s.MetafieldsSet(c)),
        ["CatalogueVariants"] = new((_, c) => 2 + (c.First(50) * CatalogueNodeCost), (s, c) => s.CatalogueVariants(c)),
        ["InventoryAvailable"] = new((_, c) => 1 + ((c.Variables["ids"] as JsonArray)?.Count ?? 0) * InventoryLevelNodeCost, (s, c) => s.InventoryAvailable(c)),
        ["VariantPrices"] = new((_, c) => 1 + ((c.Variables["ids"] as JsonArray)?.Count ?? 0), (s, c) => s.VariantPrices(c)),
        ["ProductUpdate"] = new((_, _) => MutationCost, (s, c) => s.ProductUpdate(c)),
        ["ProductVariantsBulkUpdate"] = new((_, _) => MutationCost, (s, c) => s.ProductVariantsBulkUpdate(c)),
        ["FulfillmentOrders"] = new((_, c) => FulfillmentOrdersCost(c.FirstOf("fulfillments", 50), c.FirstOf("fulfillmentOrders", 20)), (s, c) => s.FulfillmentOrders(c)),
        ["FulfillmentCreate"] = new((_, _) => MutationCost, (s, c) => s.FulfillmentCreate(c)),
        ["FulfillmentTrackingInfoUpdate"] = new((_, _) => MutationCost, (s, c) => s.FulfillmentTrackingInfoUpdate(c)),
        ["Customer"] = new((_, c) => 2 + 2 + c.FirstOf("metafields", 50), (s, c) => s.Customer(c)),
        ["CustomerUpdate"] = new((_, _) => MutationCost, (s, c) => s.CustomerUpdate(c)),
        ["ProductForSync"] = new((_, c) => ProductSelectionCost(c), (s, c) => s.ProductForSync(c)),
        ["ProductSet"] = new((_, c) => MutationCost + ProductSelectionCost(c), (s, c) => s.ProductSet(c)),
        ["CollectionsByTitle"] = new((_, c) => 2 + (c.FirstOf("collections", 10) * 3), (s, c) => s.CollectionsByTitle(c)),
        ["CollectionCreate"] = new((_, _) => MutationCost, (s, c) => s.CollectionCreate(c)),
        ["CollectionById"] = new((_, _) => 1, (s, c) => s.CollectionById(c)),
    };

    // The order reads are charged what Shopify would charge their text (every object in a line counts, per line asked for),
    // so a read asking for more than a query may cost is refused here as it would be there.
    private static double Requested(GraphQLCall call) => GraphQLQueryCost.Requested(call.Query, call.Variables);

    private (JsonObject, double) Shop(GraphQLCall call)
    {
        var locations = State.Locations.Take(call.FirstOf("locations", 250)).ToList();
        return (Data(new JsonObject
        {
            ["shop"] = new JsonObject
            {
                ["id"] = "gid://shopify/Shop/" + Options.ShopId.ToString(CultureInfo.InvariantCulture),
                ["name"] = Options.ShopName,
                ["myshopifyDomain"] = Options.ShopDomain,
                ["currencyCode"] = Options.Currency,
            },
            ["locations"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. locations.Select(l => (JsonNode?)new JsonObject
                {
                    ["id"] = "gid://shopify/Location/" + l.Id.ToString(CultureInfo.InvariantCulture),
                    ["name"] = l.Name,
                    ["isActive"] = true,
                })]),
                ["pageInfo"] = new JsonObject { ["hasNextPage"] = false, ["endCursor"] = null },
            },
        }), 3 + locations.Count);
    }

    private (JsonObject, double) Order(GraphQLCall call)
    {
        var (lines, shipping) = (call.FirstOf("lineItems", 100), call.FirstOf("shippingLines", 20));
        var id = call.Variables["id"]?.GetValue<string>() is { } gid && long.TryParse(gid[(gid.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture, out var n) ? n : 0;
        var order = State.OrderList.FirstOrDefault(o => o["id"]!.GetValue<long>() == id);
        if (order is null)
        {
            return (Data(new JsonObject { ["order"] = null }), 1);
        }

        var read = GraphQLOrder.FromRest(order, lines, shipping, call.FirstOf("transactions", 10), call.FirstOf("refundLineItems", 30), call.FirstOf("refundShippingLines", 5));
        var cost = OrderCost(order, lines, shipping);
        if (call.Query.Contains("fulfillmentOrders(", StringComparison.Ordinal))
        {
            // Where Shopify routed each line: the locations whose stock the order takes.
            var (fulfillmentOrders, actual) = FulfillmentOrderConnection(id, call.FirstOf("fulfillmentOrders", 20), null, call.FirstOf("lineItems", 10, after: "fulfillmentOrders"));
            read["fulfillmentOrders"] = fulfillmentOrders;
            cost += actual;
        }

        State.OrderRead(id);
        return (Data(new JsonObject { ["order"] = read }), cost);
    }

    // The rest of an order's connection, a page after the cursor the order's read ended on.
    private (JsonObject, double) OrderConnection(GraphQLCall call, string connection, Func<JsonObject, int, string?, JsonObject> page)
    {
        var id = NumericId(call.Variables["id"]);
        var order = State.OrderList.FirstOrDefault(o => o["id"]!.GetValue<long>() == id);
        if (order is null)
        {
            return (Data(new JsonObject { ["order"] = null }), 1);
        }

        var nodes = page(order, call.First(100), call.Variables["after"]?.GetValue<string>());
        return (Data(new JsonObject { ["order"] = new JsonObject { [connection] = nodes } }), 3 + (2 * ((JsonArray)nodes["nodes"]!).Count));
    }

    private (JsonObject, double) RefundConnection(GraphQLCall call, string connection, Func<JsonObject, JsonObject, int, string?, JsonObject> page)
    {
        var id = NumericId(call.Variables["id"]);
        var (order, refund) = State.OrderList.SelectMany(o => (o["refunds"] as JsonArray ?? []).OfType<JsonObject>().Select(r => (Order: o, Refund: r)))
            .FirstOrDefault(p => p.Refund["id"] is JsonValue v && v.TryGetValue<long>(out var n) && n == id);
        if (refund is null)
        {
            return (Data(new JsonObject { ["refund"] = null }), 1);
        }

        var nodes = page(order, refund, call.First(100), call.Variables["after"]?.GetValue<string>());
        return (Data(new JsonObject { ["refund"] = new JsonObject { [connection] = nodes } }), 3 + ((JsonArray)nodes["nodes"]!).Count);
    }

    private (JsonObject, double) OrdersUpdatedSince(GraphQLCall call)
    {
        var (lines, shipping) = (call.FirstOf("lineItems", 100), call.FirstOf("shippingLines", 20));
        var since = Regex.Match(call.Variables["query"]?.GetValue<string>() ?? "", @"updated_at:>=\s*'?(?<at>[^' ]+)'?") is { Success: true } m
            ? DateTimeOffset.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
        var after = call.Variables["after"]?.GetValue<string>();
        var sorted = State.OrderList
            .Select(o => (Order: o, At: DateTimeOffset.Parse(o["updated_at"]!.GetValue<string>(), CultureInfo.InvariantCulture), Id: o["id"]!.GetValue<long>()))
            .Where(o => o.At >= since)
            .OrderBy(o => o.At).ThenBy(o => o.Id)
            .Select(o => (o.Order, Cursor: Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{o.At.ToUnixTimeMilliseconds()}|{o.Id}"))))
            .ToList();
        var start = after is null ? 0 : sorted.FindIndex(o => o.Cursor == after) + 1;
        var page = sorted.Skip(start).Take(call.First(10)).ToList();
        return (Data(new JsonObject
        {
            ["orders"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. page.Select(o => (JsonNode?)GraphQLOrder.FromRest(o.Order, lines, shipping, call.FirstOf("transactions", 10), call.FirstOf("refundLineItems", 30), call.FirstOf("refundShippingLines", 5)))]),
                ["pageInfo"] = new JsonObject { ["hasNextPage"] = start + page.Count < sorted.Count, ["endCursor"] = page.Count == 0 ? null : page[^1].Cursor },
            },
        }), 2 + page.Sum(o => OrderCost(o.Order, lines, shipping)));
    }

    private (JsonObject, double) WebhookSubscriptionList(GraphQLCall call)
    {
        var all = State.WebhookSubscriptions;
        var after = call.Variables["after"]?.GetValue<string>();
        var start = after is null ? 0 : all.ToList().FindIndex(s => s.Id.ToString(CultureInfo.InvariantCulture) == after) + 1;
        var page = all.Skip(start).Take(call.First(50)).ToList();
        return (Data(new JsonObject
        {
            ["webhookSubscriptions"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. page.Select(s => (JsonNode?)Subscription(s))]),
                ["pageInfo"] = new JsonObject
                {
                    ["hasNextPage"] = start + page.Count < all.Count,
                    ["endCursor"] = page.Count == 0 ? null : page[^1].Id.ToString(CultureInfo.InvariantCulture),
                },
            },
        }), 2 + page.Count);
    }

    private (JsonObject, double) WebhookSubscriptionCreate(GraphQLCall call)
    {
        var topic = call.Variables["topic"]?.GetValue<string>() ?? "";
        var uri = call.Variables["uri"]?.GetValue<string>() ?? "";
        JsonObject Payload(SimulatedWebhookSubscription? created, params (string Field, string Message)[] errors) => Data(new JsonObject
        {
            ["webhookSubscriptionCreate"] = new JsonObject
            {
                ["webhookSubscription"] = created is null ? null : Subscription(created),
                ["userErrors"] = UserErrors(errors.Select(e => (new[] { "webhookSubscription", e.Field }, (string?)null, e.Message))),
            },
        });

        if (!Regex.IsMatch(topic, "^[A-Z_]+$"))
        {
            return (Payload(null, ("topic", $"Invalid topic '{topic}'")), MutationCost);
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
        {
            return (Payload(null, ("callbackUrl", "Address is invalid")), MutationCost);
        }

        if (State.WebhookSubscriptions.Any(s => s.Topic == topic && s.Uri == uri))
        {
            return (Payload(null, ("address", "Address for this topic has already been taken")), MutationCost);
        }

        return (Payload(State.AddSubscription(topic, uri)), MutationCost);
    }

    private (JsonObject, double) VariantsBySku(GraphQLCall call)
    {
        var skus = Regex.Matches(call.Variables["query"]?.GetValue<string>() ?? "", "sku:(?:\"(?<q>[^\"]*)\"|(?<p>[^\\s)]+))")
            .Select(m => m.Groups["q"].Success ? m.Groups["q"].Value : m.Groups["p"].Value).ToHashSet(StringComparer.Ordinal);
        var location = call.Variables["locationId"]?.GetValue<string>() is { } gid ? long.Parse(gid[(gid.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture) : State.Locations[0].Id;
        var items = State.InventoryItems.Where(i => skus.Contains(i.Sku)).Take(call.First(50)).ToList();
        return (Data(new JsonObject
        {
            ["productVariants"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. items.Select(i => (JsonNode?)new JsonObject
                {
                    ["id"] = "gid://shopify/ProductVariant/" + i.VariantId.ToString(CultureInfo.InvariantCulture),
                    ["sku"] = i.Sku,
                    ["inventoryItem"] = new JsonObject
                    {
                        ["id"] = "gid://shopify/InventoryItem/" + i.Id.ToString(CultureInfo.InvariantCulture),
                        ["inventoryLevel"] = i.Available.TryGetValue(location, out var units) ? new JsonObject
                        {
                            ["quantities"] = new JsonArray(new JsonObject { ["name"] = "available", ["quantity"] = units }),
                        } : null,
                    },
                })]),
                ["pageInfo"] = new JsonObject { ["hasNextPage"] = false, ["endCursor"] = null },
            },
        }), 2 + (items.Count * 4));
    }

    private (JsonObject, double) SetInventory(GraphQLCall call)
    {
        var cost = MutationCost + (Options.InventoryCostPerQuantity * ((call.Variables["input"]?["quantities"] as JsonArray)?.Count ?? 0));
        if (TryIdempotent(call, out var key, out var earlier))
        {
            return (earlier!, cost);
        }

        if (key is null && Options.RequireIdempotency)
        {
            return (Errors("The @idempotent directive is required for this mutation.", "BAD_REQUEST"), cost);
        }

        var input = call.Variables["input"] as JsonObject ?? [];
        var quantities = (input["quantities"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var errors = new List<(string[] Field, string? Code, string Message)>();
        if (input["name"]?.GetValue<string>() is not ("available" or "on_hand"))
        {
            errors.Add((["input", "name"], "INVALID_NAME", "The quantity name must be either 'available' or 'on_hand'."));
        }

        if (quantities.Count > 250)
        {
            errors.Add((["input", "quantities"], "INVALID_QUANTITY_LIMIT", "The quantities input exceeds 250 items."));
        }

        var changes = new List<(SimulatedInventoryItem Item, long Location, int Quantity)>();
        for (var i = 0; i < quantities.Count && errors.Count == 0; i++)
        {
            var q = quantities[i];
            var item = State.ItemById(NumericId(q["inventoryItemId"]));
            var location = NumericId(q["locationId"]);
            if (item is null)
            {
                errors.Add((["input", "quantities", i.ToString(CultureInfo.InvariantCulture), "inventoryItemId"], "INVALID_INVENTORY_ITEM", "The specified inventory item could not be found."));
                continue;
            }

            if (!item.Available.TryGetValue(location, out var current))
            {
                errors.Add((["input", "quantities", i.ToString(CultureInfo.InvariantCulture), "locationId"], "ITEM_NOT_STOCKED_AT_LOCATION", "The specified inventory item is not stocked at the location."));
                continue;
            }

            if (!q.ContainsKey("changeFromQuantity") && !q.ContainsKey("compareQuantity"))
            {
                errors.Add((["input", "quantities", i.ToString(CultureInfo.InvariantCulture), "changeFromQuantity"], "INVALID", "changeFromQuantity is required (pass null to skip the check)."));
                continue;
            }

            if (q["changeFromQuantity"] is JsonValue from && from.GetValue<int>() != current)
            {
                errors.Add((["input", "quantities", i.ToString(CultureInfo.InvariantCulture), "changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE", "The changeFromQuantity is stale."));
                continue;
            }

            changes.Add((item, location, q["quantity"]!.GetValue<int>()));
        }

        if (errors.Count == 0)
        {
            foreach (var (item, location, quantity) in changes)
            {
                item.Available[location] = quantity;
            }
        }

        var result = Data(new JsonObject
        {
            ["inventorySetQuantities"] = new JsonObject
            {
                ["inventoryAdjustmentGroup"] = errors.Count > 0 ? null : new JsonObject
                {
                    ["id"] = "gid://shopify/InventoryAdjustmentGroup/" + State.NextId().ToString(CultureInfo.InvariantCulture),
                    ["reason"] = input["reason"]?.DeepClone(),
                    ["referenceDocumentUri"] = input["referenceDocumentUri"]?.DeepClone(),
                },
                ["userErrors"] = UserErrors(errors),
            },
        });
        if (key is not null)
        {
            RememberIdempotent(key, result);
        }

        return (result, cost);
    }

    private (JsonObject, double) MetafieldsSet(GraphQLCall call)
    {
        var set = new JsonArray();
        var errors = new List<(string[] Field, string? Code, string Message)>();
        var metafields = (call.Variables["metafields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < metafields.Count; i++)
        {
            var m = metafields[i];
            var (ns, key, value) = (m["namespace"]?.GetValue<string>(), m["key"]?.GetValue<string>(), m["value"]?.GetValue<string>());
            var owner = m["ownerId"]?.GetValue<string>() ?? "";
            var at = i.ToString(CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(key) || value is null)
            {
                errors.Add((["metafields", at], "BLANK", "Namespace, key and value must not be blank."));
                continue;
            }

            if (owner.StartsWith("gid://shopify/Customer/", StringComparison.Ordinal))
            {
                if (State.CustomerById(NumericId(m["ownerId"])) is not { } customer)
                {
                    errors.Add((["metafields", at, "ownerId"], "INVALID", "Owner does not exist."));
                    continue;
                }

                ShopifyShopState.SetCustomerMetafield(customer, ns, key, value, m["type"]?.GetValue<string>() ?? "single_line_text_field");
                Touch(customer);
            }
            else
            {
                State.SetMetafield(NumericId(m["ownerId"]), ns, key, value);
                // A metafield is a change of its order: Shopify moves updated_at (and sends orders/updated).
                if (State.StoredOrder(NumericId(m["ownerId"])) is { } order)
                {
                    Touch(order);
                    OrderUpdated?.Invoke(order.ToJsonString());
                }
            }

            set.Add(new JsonObject { ["key"] = key, ["namespace"] = ns, ["value"] = value, ["type"] = m["type"]?.DeepClone() });
        }

        return (Data(new JsonObject { ["metafieldsSet"] = new JsonObject { ["metafields"] = set, ["userErrors"] = UserErrors(errors) } }), MutationCost);
    }

    private static JsonObject Subscription(SimulatedWebhookSubscription s) => new()
    {
        ["id"] = "gid://shopify/WebhookSubscription/" + s.Id.ToString(CultureInfo.InvariantCulture),
        ["topic"] = s.Topic,
        ["uri"] = s.Uri,
    };

    private static JsonArray UserErrors(IEnumerable<(string[] Field, string? Code, string Message)> errors) =>
        new([.. errors.Select(e => (JsonNode?)new JsonObject
        {
            ["field"] = new JsonArray([.. e.Field.Select(f => (JsonNode?)f)]),
            ["code"] = e.Code,
            ["message"] = e.Message,
        })]);

    private static double OrderCost(JsonObject order, int lines, int shipping) =>
        GraphQLOrder.Cost(Math.Min(lines, (order["line_items"] as JsonArray)?.Count ?? 0), Math.Min(shipping, (order["shipping_lines"] as JsonArray)?.Count ?? 0));

    private static long NumericId(JsonNode? gid) =>
        gid?.GetValue<string>() is { } text && long.TryParse(text[(text.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture, out var id) ? id : 0;

    private static JsonObject Data(JsonObject data) => new() { ["data"] = data };
}
