using System.Text.Json.Nodes;
using Integration.Simulators.Shopify;
using Integration.Workflows.Execution;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Fulfillments;

public sealed class ShopifyCreateFulfillmentTests
{
    private static long AddOrder(ShopifySimulator simulator) => simulator.State.AddOrder("""
        { "name": "#1001", "currency": "EGP", "financial_status": "paid", "fulfillment_status": null, "updated_at": "2026-11-24T09:00:00Z",
          "line_items": [ { "sku": "BK-1", "title": "Book", "quantity": 2, "price": "100.00" }, { "sku": "PN-1", "title": "Pen", "quantity": 1, "price": "5.00" } ] }
        """);

    private static string Create(string orderId, string tracking, bool? notify = null, string carrier = "Aramex")
    {
        var activity = new JsonObject
        {
            ["id"] = "f", ["type"] = "Shopify.CreateFulfillment", ["version"] = 1, ["store"] = "sim", ["orderId"] = orderId,
            ["carrier"] = carrier, ["trackingNumber"] = tracking, ["trackingUrl"] = "https://www.aramex.com/track/results?ShipmentNumber=" + tracking,
        };
        if (notify is { } n)
        {
            activity["notifyCustomer"] = n;
        }

        return activity.ToJsonString();
    }

    [Fact]
    public async Task An_order_is_fulfilled_with_its_tracking_and_the_customer_notified()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = AddOrder(store.Simulator);

        var state = await RunActivityAsync(store.Services, Create(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), "AWB-1"));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var fulfillment = Assert.Single(store.Simulator.State.Fulfillments(orderId));
        Assert.Equal(("Aramex", "AWB-1", "https://www.aramex.com/track/results?ShipmentNumber=AWB-1"), (fulfillment.TrackingCompany, fulfillment.TrackingNumber, fulfillment.TrackingUrl));
        Assert.True(fulfillment.NotifyCustomer);
        Assert.Equal(3, fulfillment.LineItems.Sum(l => l.Quantity));
        Assert.Equal("gid://shopify/Fulfillment/" + fulfillment.Id, state.ActivityOutputs["f"]["fulfillmentId"]);
        Assert.Equal(false, state.ActivityOutputs["f"]["existed"]);
        Assert.All(store.Simulator.State.FulfillmentOrders(orderId), f => Assert.Equal("CLOSED", f.Status));
        Assert.Equal("fulfilled", store.Simulator.State.Order(orderId)!["fulfillment_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_tracking_number_again_creates_nothing_and_says_it_existed()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = AddOrder(store.Simulator);
        var first = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "AWB-1", notify: false));

        var again = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "awb-1"));

        Assert.Equal(FlowRunStatus.Finished, again.Status);
        Assert.Equal(true, again.ActivityOutputs["f"]["existed"]);
        Assert.Equal(first.ActivityOutputs["f"]["fulfillmentId"], again.ActivityOutputs["f"]["fulfillmentId"]);
        Assert.False(Assert.Single(store.Simulator.State.Fulfillments(orderId)).NotifyCustomer);
        Assert.Equal(1, store.Simulator.Ran("FulfillmentCreate"));
    }

    [Fact]
    public async Task An_unknown_order_follows_NotFound_and_one_closed_without_a_fulfillment_NothingToFulfill()
    {
        using var store = new ShopifySimulatorStore();
        var closed = store.Simulator.State.AddOrder("""
            { "name": "#1002", "currency": "EGP", "financial_status": "paid", "fulfillment_status": "fulfilled", "updated_at": "2026-11-24T09:00:00Z",
              "line_items": [ { "sku": "BK-1", "title": "Book", "quantity": 1, "price": "100.00" } ] }
            """);

        var missing = await RunActivityAsync(store.Services, Create("42", "AWB-2"));
        var nothing = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + closed, "AWB-2"));

        Assert.Equal(FlowRunStatus.Finished, missing.Status);
        Assert.Equal(["NotFound"], missing.Journal.Single(j => j.ActivityId == "f").Outcomes);
        Assert.Null(missing.ActivityOutputs["f"]["fulfillmentId"]);
        Assert.Equal(["NothingToFulfill"], nothing.Journal.Single(j => j.ActivityId == "f").Outcomes);
        Assert.Null(nothing.ActivityOutputs["f"]["fulfillmentId"]);
        Assert.Equal(0, store.Simulator.Ran("FulfillmentCreate") + store.Simulator.Ran("FulfillmentTrackingInfoUpdate"));
    }

    [Fact]
    public async Task A_new_number_on_an_order_shipped_whole_is_another_parcel_added_to_its_fulfillments_tracking_once()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = AddOrder(store.Simulator);
        var first = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "AWB-1"));

        var second = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "AWB-2"));
        var again = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "AWB-2"));
        var otherCarrier = await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "DHL-3", carrier: "DHL Express"));

        Assert.Equal(["NothingToFulfill"], otherCarrier.Journal.Single(j => j.ActivityId == "f").Outcomes);
        Assert.Equal(true, second.ActivityOutputs["f"]["parcelAdded"]);
        Assert.Equal(first.ActivityOutputs["f"]["fulfillmentId"], second.ActivityOutputs["f"]["fulfillmentId"]);
        Assert.Equal(true, again.ActivityOutputs["f"]["existed"]);
        var fulfillment = Assert.Single(store.Simulator.State.Fulfillments(orderId));
        Assert.Equal(
            [("AWB-1", "https://www.aramex.com/track/results?ShipmentNumber=AWB-1"), ("AWB-2", "https://www.aramex.com/track/results?ShipmentNumber=AWB-2")],
            fulfillment.Tracking);
        Assert.Equal(1, store.Simulator.Ran("FulfillmentCreate"));
        Assert.Equal(1, store.Simulator.Ran("FulfillmentTrackingInfoUpdate"));
        Assert.Equal("Aramex", store.Simulator.LastVariables("FulfillmentTrackingInfoUpdate")!["trackingInfoInput"]!["company"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_that_failed_after_the_first_of_two_locations_ships_the_second_on_its_retry_and_nothing_twice()
    {
        using var store = new ShopifySimulatorStore();
        var branch = store.Simulator.State.AddLocation("Branch");
        var state = store.Simulator.State;
        state.AddProduct("Stationery", ["BK-1", "PN-1"]);
        state.Variant("BK-1")!.Available[state.Locations[0].Id] = 5;
        state.Variant("PN-1")!.Available[branch.Id] = 5;
        var orderId = AddOrder(store.Simulator);
        store.Simulator.FailOperation("FulfillmentCreate", System.Net.HttpStatusCode.Forbidden, successes: 1);

        var failed = await RunActivityAsync(store.Services, Create(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), "AWB-1"));
        store.Simulator.FailOperation("FulfillmentCreate", null);
        var retried = await RunActivityAsync(store.Services, Create(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), "AWB-1"));
        var again = await RunActivityAsync(store.Services, Create(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), "AWB-1"));

        Assert.Equal(FlowRunStatus.Faulted, failed.Status);
        Assert.Equal(FlowRunStatus.Finished, retried.Status);
        Assert.Equal(2, store.Simulator.State.FulfillmentOrders(orderId).Count);
        Assert.All(store.Simulator.State.FulfillmentOrders(orderId), f => Assert.Equal("CLOSED", f.Status));
        Assert.Equal(["AWB-1", "AWB-1"], store.Simulator.State.Fulfillments(orderId).Select(f => f.TrackingNumber));
        Assert.Equal(true, again.ActivityOutputs["f"]["existed"]);
        Assert.Equal(2, store.Simulator.State.Fulfillments(orderId).Count);
    }

    [Fact]
    public async Task The_request_names_the_open_fulfillment_order_with_tracking()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = AddOrder(store.Simulator);

        await RunActivityAsync(store.Services, Create("gid://shopify/Order/" + orderId, "AWB-1"));

        var sent = store.Simulator.LastVariables("FulfillmentCreate")!["fulfillment"]!;
        var open = Assert.Single(store.Simulator.State.FulfillmentOrders(orderId));
        Assert.Equal("gid://shopify/FulfillmentOrder/" + open.Id, sent["lineItemsByFulfillmentOrder"]![0]!["fulfillmentOrderId"]!.GetValue<string>());
        Assert.Equal("AWB-1", sent["trackingInfo"]!["number"]!.GetValue<string>());
        Assert.Equal("Aramex", sent["trackingInfo"]!["company"]!.GetValue<string>());
        Assert.True(sent["notifyCustomer"]!.GetValue<bool>());
    }
}
