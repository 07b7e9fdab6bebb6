using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Customers;

public sealed class ShopifyUpdateCustomerTests
{
    private static string Update(long customerId, JsonObject changes) => new JsonObject
    {
        ["id"] = "c", ["type"] = "Shopify.UpdateCustomer", ["version"] = 1, ["store"] = "sim", ["customerId"] = "gid://shopify/Customer/" + customerId, ["changes"] = changes,
    }.ToJsonString();

    [Fact]
    public async Task Erp_mastered_fields_land_as_metafields_and_the_customer_comes_back_in_the_webhook_shape()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = store.Simulator.State.AddOrder("""
            { "name": "#1001", "currency": "EGP", "line_items": [],
              "customer": { "id": 9007199254740999, "email": "mona@example.com", "first_name": "Mona", "last_name": "Adel", "phone": "+201000000001" } }
            """);
        var customerId = store.Simulator.State.Order(orderId)!["customer"]!["id"]!.GetValue<long>();

        // What Mappings.Apply writes towards Shopify for the ERP-mastered fields (no namespace: erp by default).
        var state = await RunActivityAsync(store.Services, Update(customerId, new JsonObject
        {
            ["metafields"] = new JsonArray(
                new JsonObject { ["key"] = "credit_limit", ["value"] = "5000" },
                new JsonObject { ["key"] = "customer_group", ["value"] = "Wholesale" },
                new JsonObject { ["namespace"] = "erp", ["key"] = "tax_id", ["value"] = "123-456-789" }),
            ["note"] = "ERP customer CUST-0001",
        }));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var customer = Assert.IsType<JsonObject>(state.ActivityOutputs["c"]["customer"]);
        Assert.Equal(9007199254740999L, customer["id"]!.GetValue<long>());
        Assert.Equal("gid://shopify/Customer/9007199254740999", customer["admin_graphql_api_id"]!.GetValue<string>());
        Assert.Equal("Mona", customer["first_name"]!.GetValue<string>());
        Assert.Equal("ERP customer CUST-0001", customer["note"]!.GetValue<string>());
        Assert.Equal(["erp.credit_limit=5000", "erp.customer_group=Wholesale", "erp.tax_id=123-456-789"],
            customer["metafields"]!.AsArray().Select(m => $"{m!["namespace"]}.{m["key"]}={m["value"]}").Order(StringComparer.Ordinal));

        // The simulator's customers/update body says the same, so the echo test can send it.
        var webhook = store.Simulator.State.Customer(customerId)!;
        Assert.Equal(customer["admin_graphql_api_id"]!.GetValue<string>(), webhook["admin_graphql_api_id"]!.GetValue<string>());
        Assert.Equal("ERP customer CUST-0001", webhook["note"]!.GetValue<string>());
        Assert.Equal("5000", webhook["metafields"]!.AsArray().Single(m => m!["key"]!.GetValue<string>() == "credit_limit")!["value"]!.GetValue<string>());
        Assert.Equal(1, store.Simulator.Ran("CustomerUpdate"));
        Assert.Equal(1, store.Simulator.Ran("MetafieldsSet"));
    }

    [Fact]
    public async Task Contact_fields_and_tags_go_through_customerUpdate()
    {
        using var store = new ShopifySimulatorStore();
        var customerId = store.Simulator.State.AddCustomer("""{ "email": "old@example.com", "first_name": "Old", "tags": "" }""");

        await RunActivityAsync(store.Services, Update(customerId, new JsonObject { ["first_name"] = "New", ["email"] = "new@example.com", ["tags"] = "wholesale, vip" }));

        var sent = store.Simulator.LastVariables("CustomerUpdate")!["input"]!;
        Assert.Equal(["wholesale", "vip"], sent["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var customer = store.Simulator.State.Customer(customerId)!;
        Assert.Equal(("New", "new@example.com", "wholesale, vip"), (customer["first_name"]!.GetValue<string>(), customer["email"]!.GetValue<string>(), customer["tags"]!.GetValue<string>()));
        Assert.Equal(0, store.Simulator.Ran("MetafieldsSet"));
    }

    [Fact]
    public async Task A_refused_change_faults_the_run_and_an_unknown_customer_follows_NotFound()
    {
        using var store = new ShopifySimulatorStore();
        var customerId = store.Simulator.State.AddCustomer("""{ "email": "old@example.com", "first_name": "Old" }""");

        var refused = await RunActivityAsync(store.Services, Update(customerId, new JsonObject { ["email"] = "not-an-address" }));
        var missing = await RunActivityAsync(store.Services, Update(42, new JsonObject { ["first_name"] = "X" }));

        Assert.Equal(FlowRunStatus.Faulted, refused.Status);
        Assert.Contains("Email is invalid", Assert.Single(refused.Incidents).Message, StringComparison.Ordinal);
        Assert.Equal("old@example.com", store.Simulator.State.Customer(customerId)!["email"]!.GetValue<string>());
        Assert.Equal(FlowRunStatus.Finished, missing.Status);
        Assert.Null(missing.ActivityOutputs["c"]["customer"]);
        Assert.Equal(1, store.Simulator.Ran("CustomerUpdate")); // the refused one; the unknown customer was only read
    }
}
