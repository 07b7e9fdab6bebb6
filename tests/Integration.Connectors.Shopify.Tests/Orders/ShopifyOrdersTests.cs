using System.Text;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;
using Integration.Testing;
using Integration.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Orders;

public sealed class ShopifyOrdersTests
{
    private static readonly string Fixture = Encoding.UTF8.GetString(RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json"));

    [Fact]
    public async Task An_order_read_back_has_the_webhook_shape_with_exact_ids()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddOrder(Fixture);
        var webhook = JsonNode.Parse(Fixture)!.AsObject();

        var order = await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", "820982911946154508");

        Assert.NotNull(order);
        // The fixture's numbers were rounded by a JavaScript scrape; the gid holds the true id, and so must we.
        Assert.Equal(820982911946154508L, order["id"]!.GetValue<long>());
        Assert.Equal(115310627314723954L, order["customer"]!["id"]!.GetValue<long>());
        foreach (var path in new[]
        {
            "admin_graphql_api_id", "name", "currency", "presentment_currency", "taxes_included", "financial_status", "test", "total_price", "total_tax",
            "total_discounts", "created_at", "updated_at", "processed_at", "cancelled_at", "customer.email", "customer.first_name", "customer.last_name",
            "customer.admin_graphql_api_id", "shipping_address.city", "shipping_address.zip", "shipping_address.country_code", "billing_address.address1",
            "payment_gateway_names", "shipping_lines.0.title", "shipping_lines.0.price", "total_price_set",
        })
        {
            Assert.True(JsonNode.DeepEquals(At(webhook, path), At(order, path)), $"{path}: webhook {At(webhook, path)?.ToJsonString()} vs read {At(order, path)?.ToJsonString()}");
        }

        var lines = webhook["line_items"]!.AsArray();
        Assert.Equal(lines.Count, order["line_items"]!.AsArray().Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (sent, read) = (lines[i]!, order["line_items"]![i]!);
            Assert.Equal(sent["admin_graphql_api_id"]!.GetValue<string>(), read["admin_graphql_api_id"]!.GetValue<string>());
            Assert.Equal(long.Parse(sent["admin_graphql_api_id"]!.GetValue<string>().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), read["id"]!.GetValue<long>());
            foreach (var field in new[] { "sku", "title", "variant_title", "quantity", "current_quantity", "price", "variant_id" })
            {
                Assert.True(JsonNode.DeepEquals(sent[field], read[field]), $"line {i} {field}: {sent[field]?.ToJsonString()} vs {read[field]?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Taxes_discounts_and_variants_of_lines_and_shipping_come_back()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder("""
            { "name": "#1001", "currency": "EGP", "taxes_included": true, "financial_status": "paid", "updated_at": "2026-11-24T09:00:00+02:00",
              "total_price": "228.00", "total_tax": "28.00", "total_discounts": "20.00", "payment_gateway_names": ["Cash on Delivery (COD)"],
              "line_items": [ { "admin_graphql_api_id": "gid://shopify/LineItem/9007199254740995", "variant_id": 9007199254740997, "product_id": 9007199254740999,
                "sku": "BK-1", "title": "Book", "quantity": 2, "current_quantity": 1, "price": "100.00",
                "discount_allocations": [ { "amount": "20.00" } ], "tax_lines": [ { "title": "VAT", "rate": 0.14, "price": "22.11" } ] } ],
              "shipping_lines": [ { "id": 77, "title": "Courier", "price": "50.00", "discount_allocations": [], "tax_lines": [ { "title": "VAT", "rate": 0.14, "price": "6.14" } ] } ] }
            """);

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", "gid://shopify/Order/" + id))!;

        var line = order["line_items"]![0]!;
        Assert.Equal(9007199254740995L, line["id"]!.GetValue<long>());
        Assert.Equal(9007199254740997L, line["variant_id"]!.GetValue<long>());
        Assert.Equal(9007199254740999L, line["product_id"]!.GetValue<long>());
        Assert.Equal(1, line["current_quantity"]!.GetValue<int>());
        Assert.Equal("20.00", line["discount_allocations"]![0]!["amount"]!.GetValue<string>());
        Assert.Equal(0.14, line["tax_lines"]![0]!["rate"]!.GetValue<double>());
        Assert.Equal("22.11", line["tax_lines"]![0]!["price"]!.GetValue<string>());
        Assert.Equal("6.14", order["shipping_lines"]![0]!["tax_lines"]![0]!["price"]!.GetValue<string>());
        Assert.Equal("Cash on Delivery (COD)", order["payment_gateway_names"]![0]!.GetValue<string>());
        Assert.Null(order["customer"]);
    }

    [Fact]
    public async Task Each_line_read_back_carries_its_sold_quantity_refunded_units_in_and_edited_off_units_out()
    {
        using var store = new ShopifySimulatorStore();
        // 3 shirts ordered, 1 edited off and 1 refunded (current 1); 2 mugs, both refunded over two refunds (current 0);
        // 1 cap untouched.
        var id = store.Simulator.State.AddOrder("""
            { "name": "#1002", "currency": "EGP", "financial_status": "partially_refunded", "updated_at": "2026-11-24T09:00:00+02:00", "total_price": "100.00",
              "line_items": [
                { "id": 501, "sku": "SHIRT", "title": "Shirt", "quantity": 3, "current_quantity": 1, "price": "10.00", "discount_allocations": [], "tax_lines": [] },
                { "id": 502, "sku": "MUG", "title": "Mug", "quantity": 2, "current_quantity": 0, "price": "10.00", "discount_allocations": [], "tax_lines": [] },
                { "id": 503, "sku": "CAP", "title": "Cap", "quantity": 1, "current_quantity": 1, "price": "10.00", "discount_allocations": [], "tax_lines": [] } ],
              "refunds": [
                { "id": 901, "created_at": "2026-11-24T10:00:00+02:00", "transactions": [],
                  "refund_line_items": [ { "line_item_id": 501, "quantity": 1, "restock_type": "return" }, { "line_item_id": 502, "quantity": 1, "restock_type": "return" } ] },
                { "id": 902, "created_at": "2026-11-24T11:00:00+02:00", "transactions": [],
                  "refund_line_items": [ { "line_item_id": 502, "quantity": 1, "restock_type": "no_restock" } ] } ] }
            """);

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", "gid://shopify/Order/" + id))!;

        var sold = order["line_items"]!.AsArray().ToDictionary(l => l!["sku"]!.GetValue<string>(), l => l!["sold_quantity"]!.GetValue<decimal>());
        Assert.Equal(2m, sold["SHIRT"]);
        Assert.Equal(2m, sold["MUG"]);
        Assert.Equal(1m, sold["CAP"]);
    }

    [Fact]
    public async Task GetOrder_gives_the_fallback_order_with_its_sold_quantities_when_the_store_has_none()
    {
        using var store = new ShopifySimulatorStore();
        var payload = new JsonObject
        {
            ["id"] = 42L,
            ["line_items"] = new JsonArray(
                new JsonObject { ["id"] = 1L, ["quantity"] = 2, ["current_quantity"] = 1 },
                new JsonObject { ["id"] = 2L, ["quantity"] = 4 }),
            ["refunds"] = new JsonArray(new JsonObject { ["refund_line_items"] = new JsonArray(new JsonObject { ["line_item_id"] = 1L, ["quantity"] = 1 }) }),
        };

        var missing = await RunActivityAsync(store.Services,
            $$"""{ "id": "g", "type": "Shopify.GetOrder", "version": 1, "orderId": {{Literal("42")}}, "fallback": { "typeName": "Object", "expression": { "type": "Literal", "value": {{System.Text.Json.JsonSerializer.Serialize(payload.ToJsonString())}} } } }""");

        var order = Assert.IsType<JsonObject>(missing.ActivityOutputs["g"]["order"]);
        Assert.Equal(2m, order["line_items"]![0]!["sold_quantity"]!.GetValue<decimal>());
        // No current_quantity (an older payload): what was ordered.
        Assert.Equal(4m, order["line_items"]![1]!["sold_quantity"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_quantity_that_is_not_a_number_faults_the_read_instead_of_selling_0()
    {
        using var store = new ShopifySimulatorStore();
        var payload = """{ "id": 43, "line_items": [ { "id": 1, "quantity": "two", "current_quantity": "two" } ] }""";

        var run = await RunActivityAsync(store.Services,
            $$"""{ "id": "g", "type": "Shopify.GetOrder", "version": 1, "orderId": {{Literal("43")}}, "fallback": { "typeName": "Object", "expression": { "type": "Literal", "value": {{System.Text.Json.JsonSerializer.Serialize(payload)}} } } }""");

        Assert.Equal(FlowRunStatus.Faulted, run.Status);
        Assert.Contains(run.Incidents, i => i.Message.Contains("\"two\" is not a number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetOrder_follows_NotFound_for_an_order_the_store_does_not_have()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(Fixture);

        var found = await RunActivityAsync(store.Services, $$"""{ "id": "g", "type": "Shopify.GetOrder", "version": 1, "store": {{Literal("sim")}}, "orderId": {{Literal("gid://shopify/Order/" + id)}} }""");
        var missing = await RunActivityAsync(store.Services, $$"""{ "id": "g", "type": "Shopify.GetOrder", "version": 1, "orderId": {{Literal("42")}} }""");

        Assert.Equal(FlowRunStatus.Finished, found.Status);
        Assert.Equal("#9999", Assert.IsType<JsonObject>(found.ActivityOutputs["g"]["order"])["name"]!.GetValue<string>());
        Assert.Null(missing.ActivityOutputs["g"]["order"]);
        Assert.Equal(FlowRunStatus.Finished, missing.Status);
    }

    [Fact]
    public async Task Orders_updated_since_a_watermark_are_listed_page_by_page_with_the_next_watermark()
    {
        using var store = new ShopifySimulatorStore();
        for (var i = 0; i < 8; i++)
        {
            store.Simulator.State.AddOrder($$"""{ "name": "#{{1000 + i}}", "currency": "EGP", "updated_at": "2026-11-2{{i % 4}}T1{{i}}:00:00Z", "line_items": [] }""");
        }

        var state = await RunActivityAsync(store.Services, $$"""{ "id": "l", "type": "Shopify.ListOrdersUpdatedSince", "version": 1, "since": {{Literal("2026-11-21T00:00:00Z")}} }""");

        var orders = Assert.IsType<JsonArray>(state.ActivityOutputs["l"]["orders"]);
        // Updated on the 21st, 22nd, 23rd: i = 1, 2, 3, 5, 6, 7; oldest first.
        Assert.Equal(["#1001", "#1005", "#1002", "#1006", "#1003", "#1007"], orders.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("2026-11-23T17:00:00Z", state.ActivityOutputs["l"]["watermark"]);
        Assert.Equal(2, store.Simulator.Ran("OrdersUpdatedSince"));
        Assert.Equal(0, store.Simulator.Throttled);

        // An update stamped just before the watermark that the search shows only now is listed; the watermark stays.
        store.Simulator.State.AddOrder("""{ "name": "#2000", "currency": "EGP", "updated_at": "2026-11-23T16:59:30Z", "line_items": [] }""");
        var next = await RunActivityAsync(store.Services, $$"""{ "id": "l", "type": "Shopify.ListOrdersUpdatedSince", "version": 1, "since": {{Literal("2026-11-23T17:00:00Z")}} }""");
        Assert.Equal(["#2000", "#1007"], Assert.IsType<JsonArray>(next.ActivityOutputs["l"]["orders"]).Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("2026-11-23T17:00:00Z", next.ActivityOutputs["l"]["watermark"]);
    }

    private static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var index) ? node?[index] : node?[part];
        }

        return node;
    }
}
