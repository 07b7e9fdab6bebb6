using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Inventory;
using Integration.Simulators.Shopify;
using Integration.Workflows.Execution;
using Xunit.Abstractions;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Inventory;

public sealed class ShopifySetInventoryTests(ITestOutputHelper output)
{
    private static string SetInventory(JsonArray quantities, string? reference = null, string? reason = null, bool compare = false)
    {
        var activity = new JsonObject { ["id"] = "s", ["type"] = "Shopify.SetInventory", ["version"] = 1, ["store"] = "sim", ["quantities"] = quantities };
        if (compare)
        {
            activity["compare"] = true;
        }

        if (reference is not null)
        {
            activity["reference"] = reference;
        }

        if (reason is not null)
        {
            activity["reason"] = reason;
        }

        return activity.ToJsonString();
    }

    private static JsonObject Balance(string sku, string warehouse, decimal atp) =>
        new() { ["sku"] = sku, ["warehouse"] = warehouse, ["actualQty"] = atp + 3, ["reservedQty"] = 3, ["availableToPromise"] = atp };

    [Fact]
    public async Task Ten_thousand_skus_are_pushed_in_one_call_exact_and_never_throttled()
    {
        // Plus: 1000 points/s, bucket 20,000. The catalogue read (40 pages of 752 points) outruns the bucket, so the
        // push is paced by the restore rate, not by the machine.
        using var store = new ShopifySimulatorStore(new ShopifySimulatorOptions { Plan = ShopifyPlan.Plus });
        var random = new Random(20261124);
        var balances = new JsonArray();
        var expected = new Dictionary<string, int>();
        for (var p = 0; p < 2_500; p++)
        {
            var skus = Enumerable.Range(0, 4).Select(v => $"SKU-{p:D4}-{v}").ToArray();
            store.Simulator.State.AddProduct($"Product {p}", skus);
            foreach (var sku in skus)
            {
                // Fractions, zeros and the odd negative balance, as an ERP has them.
                var atp = Math.Round((decimal)((random.NextDouble() * 120) - 10), 3);
                balances.Add(Balance(sku, "MAIN-WH", atp));
                expected[sku] = atp <= 0 ? 0 : (int)decimal.Floor(atp);
            }
        }

        var clock = Stopwatch.StartNew();
        var state = await RunActivityAsync(store.Services, SetInventory(balances));
        clock.Stop();

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var outputs = state.ActivityOutputs["s"];
        Assert.Equal(10_000, outputs["set"]);
        Assert.Empty(Assert.IsType<JsonArray>(outputs["skipped"]));
        Assert.Equal(40, outputs["requests"]);
        var location = store.Simulator.State.Locations[0].Id;
        var wrong = expected.Where(e => store.Simulator.State.Available(e.Key, location) != e.Value).Select(e => e.Key).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} SKUs hold the wrong quantity, e.g. {string.Join(", ", wrong.Take(5))}");
        Assert.Equal(0, store.Simulator.Throttled);
        Assert.Equal(40, store.Simulator.Ran("CatalogueVariants"));
        Assert.Equal(40, store.Simulator.Ran("SetInventory"));
        // Stock was being set while the catalogue was still being read (the sends use the time a page waits for points).
        var order = store.Simulator.RanInOrder;
        Assert.True(order.ToList().IndexOf("SetInventory") < order.ToList().LastIndexOf("CatalogueVariants"), string.Join(", ", order));

        var points = store.Simulator.PointsSpent;
        var allowed = Math.Max(0, points - store.Simulator.BucketSize) / store.Simulator.RestoreRate;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"10,000 SKUs: {store.Simulator.Requests} requests ({store.Simulator.Ran("CatalogueVariants")} catalogue pages, {store.Simulator.Ran("SetInventory")} inventorySetQuantities), "
            + $"{points:N0} points, 429s {store.Simulator.Throttled}, elapsed {clock.Elapsed.TotalSeconds:F1} s (store busy {store.Simulator.BusyTime.TotalSeconds:F1} s, first request to last answer), "
            + $"rate-allowed {allowed:F1} s (({points:N0} - bucket {store.Simulator.BucketSize:N0}) / {store.Simulator.RestoreRate:N0} per s), client waited {store.Client.Throttle.Waited.TotalSeconds:F1} s"));
    }

    [Fact]
    public async Task A_store_refusing_the_stock_writes_faults_the_push_with_its_answer_and_sets_nothing()
    {
        using var store = new ShopifySimulatorStore();
        var balances = new JsonArray();
        for (var p = 0; p < 150; p++)
        {
            var skus = Enumerable.Range(0, 4).Select(v => $"R-{p:D3}-{v}").ToArray();
            store.Simulator.State.AddProduct($"Product {p}", skus);
            foreach (var sku in skus)
            {
                balances.Add(Balance(sku, "MAIN-WH", 7));
            }
        }

        store.Simulator.FailOperation("SetInventory", System.Net.HttpStatusCode.Forbidden);
        var state = await RunActivityAsync(store.Services, SetInventory(balances));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        Assert.Contains("SetInventory", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Simulator.Ran("SetInventory"));
        var location = store.Simulator.State.Locations[0].Id;
        Assert.Equal(0, store.Simulator.State.Available("R-000-0", location));
    }

    [Fact]
    public async Task Unknown_skus_unmapped_warehouses_and_lines_the_store_refuses_are_skipped_and_reported()
    {
        using var store = new ShopifySimulatorStore(prepare: simulator =>
        {
            var shop = simulator.State.AddLocation("Shop floor");
            return new Dictionary<string, string?> { ["Stores:0:Locations:1:LocationId"] = "gid://shopify/Location/" + shop.Id, ["Stores:0:Locations:1:Warehouse"] = "SHOP-WH" };
        });
        store.Simulator.State.AddProduct("Book", "BK-1", "BK-2");
        // BK-2 is not stocked at the shop floor: Shopify refuses the whole request for that one line.
        store.Simulator.State.Variant("BK-2")!.Available.Remove(store.Simulator.State.Locations[1].Id);
        var quantities = new JsonArray(
            Balance("BK-1", "MAIN-WH", 7.9m),
            new JsonObject { ["sku"] = "BK-2", ["warehouse"] = "MAIN-WH", ["available"] = "4" },
            Balance("BK-1", "SHOP-WH", -2),
            Balance("BK-2", "SHOP-WH", 5),
            Balance("NOPE-1", "MAIN-WH", 3),
            Balance("BK-1", "FAR-WH", 3));

        var state = await RunActivityAsync(store.Services, SetInventory(quantities));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var outputs = state.ActivityOutputs["s"];
        Assert.Equal(3, outputs["set"]);
        Assert.Equal(2, outputs["requests"]);
        var skipped = Assert.IsType<JsonArray>(outputs["skipped"]).Select(s => $"{s!["sku"]}@{s["warehouse"]}: {s["reason"]}").Order(StringComparer.Ordinal);
        Assert.Equal(["BK-1@FAR-WH: warehouse mapped to no location", "BK-2@SHOP-WH: ITEM_NOT_STOCKED_AT_LOCATION", "NOPE-1@MAIN-WH: sku not in store"], skipped);
        var (main, floor) = (store.Simulator.State.Locations[0].Id, store.Simulator.State.Locations[1].Id);
        Assert.Equal(7, store.Simulator.State.Available("BK-1", main));
        Assert.Equal(4, store.Simulator.State.Available("BK-2", main));
        Assert.Equal(0, store.Simulator.State.Available("BK-1", floor));
    }

    [Fact]
    public async Task A_sku_on_two_variants_is_shown_the_balance_on_each_and_reported_as_shared()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Book", "BK-1", "BK-2");
        var copy = store.Simulator.State.AddProduct("Book (gift edition)", "BK-1").Single();
        var location = store.Simulator.State.Locations[0].Id;

        var state = await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 6), Balance("BK-2", "MAIN-WH", 2)]));

        Assert.Equal(6, store.Simulator.State.Available("BK-1", location));
        Assert.Equal(6, copy.Available[location]);
        Assert.Equal(["BK-1"], Assert.IsType<JsonArray>(state.ActivityOutputs["s"]["shared"]).Select(s => (string)s!));
    }

    [Fact]
    public async Task A_push_repeated_under_the_same_reference_is_applied_once_and_a_new_push_again()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Book", "BK-1");
        var location = store.Simulator.State.Locations[0].Id;

        await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 5)], reference: "sync-1"));
        store.Simulator.State.Variant("BK-1")!.Available[location] = 3; // a sale in the store since
        await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 5)], reference: "sync-1"));
        Assert.Equal(3, store.Simulator.State.Available("BK-1"));

        await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 5)], reference: "sync-2"));
        Assert.Equal(5, store.Simulator.State.Available("BK-1"));
    }

    [Fact]
    public async Task A_compared_push_sets_only_what_the_store_shows_otherwise_and_reports_each_difference_as_drift()
    {
        using var store = new ShopifySimulatorStore();
        var balances = new JsonArray();
        for (var p = 0; p < 100; p++)
        {
            var skus = Enumerable.Range(0, 3).Select(v => $"D-{p:D3}-{v}").ToArray();
            store.Simulator.State.AddProduct($"Product {p}", skus);
            foreach (var sku in skus)
            {
                balances.Add(Balance(sku, "MAIN-WH", 5.5m));
            }
        }

        await RunActivityAsync(store.Services, SetInventory(balances, reference: "full-1"));
        // Changed by hand in Shopify since: one raised (an oversell risk), one lowered, one taken off the location.
        var location = store.Simulator.State.Locations[0].Id;
        store.Simulator.State.Variant("D-010-1")!.Available[location] = 9;
        store.Simulator.State.Variant("D-090-2")!.Available[location] = 2;
        store.Simulator.State.Variant("D-050-0")!.Available.Remove(location);
        var writesBefore = store.Simulator.Ran("SetInventory");

        var state = await RunActivityAsync(store.Services, SetInventory(balances.DeepClone().AsArray(), reference: "full-2", compare: true));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var outputs = state.ActivityOutputs["s"];
        Assert.Equal(2, outputs["set"]);
        Assert.Equal(297, outputs["unchanged"]);
        var drift = Assert.IsType<JsonArray>(outputs["drift"]).Select(d => $"{d!["sku"]}@{d["warehouse"]}: store {d["store"]?.ToJsonString() ?? "none"}, erp {d["erp"]}").Order(StringComparer.Ordinal);
        Assert.Equal(["D-010-1@MAIN-WH: store 9, erp 5", "D-050-0@MAIN-WH: store none, erp 5", "D-090-2@MAIN-WH: store 2, erp 5"], drift);
        // The one not stocked there is refused by the store as before, and said so.
        Assert.Equal("D-050-0@MAIN-WH: ITEM_NOT_STOCKED_AT_LOCATION", Assert.Single(Assert.IsType<JsonArray>(outputs["skipped"]).Select(s => $"{s!["sku"]}@{s["warehouse"]}: {s["reason"]}")));
        Assert.Equal(5, store.Simulator.State.Available("D-010-1", location));
        Assert.Equal(5, store.Simulator.State.Available("D-090-2", location));
        // 300 lines: two batches, each read once; the writes carry only the lines that differ (the first batch's twice:
        // the store refuses the request for the line not stocked, which is then sent without it).
        Assert.Equal(2, store.Simulator.Ran("InventoryAvailable"));
        Assert.Equal(3, store.Simulator.Ran("SetInventory") - writesBefore);
        Assert.True(store.Simulator.LastRequestedCost("InventoryAvailable") <= store.Simulator.Options.MaxQueryCost);
        Assert.Equal(["gid://shopify/InventoryItem/" + store.Simulator.State.Variant("D-090-2")!.Id],
            store.Simulator.LastVariables("SetInventory")!["input"]!["quantities"]!.AsArray().Select(q => q!["inventoryItemId"]!.GetValue<string>()));

        // Compared again: nothing differs but the item still not stocked there, and nothing else is written.
        writesBefore = store.Simulator.Ran("SetInventory");
        var again = await RunActivityAsync(store.Services, SetInventory(balances.DeepClone().AsArray(), reference: "full-3", compare: true));
        Assert.Equal(0, again.ActivityOutputs["s"]["set"]);
        Assert.Equal(299, again.ActivityOutputs["s"]["unchanged"]);
        Assert.Single(Assert.IsType<JsonArray>(again.ActivityOutputs["s"]["drift"]));
        Assert.Equal(1, store.Simulator.Ran("SetInventory") - writesBefore);
    }

    [Fact]
    public async Task A_push_not_compared_reads_nothing_from_the_store_and_reports_no_drift()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Book", "BK-1");
        store.Simulator.State.Variant("BK-1")!.Available[store.Simulator.State.Locations[0].Id] = 5;

        var state = await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 5)]));

        Assert.Equal(1, state.ActivityOutputs["s"]["set"]);
        Assert.Equal(0, state.ActivityOutputs["s"]["unchanged"]);
        Assert.Empty(Assert.IsType<JsonArray>(state.ActivityOutputs["s"]["drift"]));
        Assert.Equal(0, store.Simulator.Ran("InventoryAvailable"));
    }

    [Fact]
    public async Task Compared_pushes_back_to_back_are_paced_by_what_a_read_of_that_size_costs()
    {
        // A Standard plan's bucket (1,000 points, 100 a second). Each push reads 250 items (751 points), then the 10
        // left (31): the next push's first read must wait for 751 points, not for what the last read of 10 cost.
        using var store = new ShopifySimulatorStore(new ShopifySimulatorOptions { BucketSize = 1000, RestoreRate = 100 });
        var balances = new JsonArray();
        for (var p = 0; p < 26; p++)
        {
            var skus = Enumerable.Range(0, 10).Select(v => $"P-{p:D2}-{v}").ToArray();
            store.Simulator.State.AddProduct($"Product {p}", skus);
            foreach (var sku in skus)
            {
                balances.Add(Balance(sku, "MAIN-WH", p));
            }
        }

        for (var run = 0; run < 3; run++)
        {
            var state = await RunActivityAsync(store.Services, SetInventory(balances.DeepClone().AsArray(), reference: $"full-{run}", compare: true));
            Assert.Equal(FlowRunStatus.Finished, state.Status);
            Assert.Equal(260, Convert.ToInt32(state.ActivityOutputs["s"]["set"], CultureInfo.InvariantCulture) + Convert.ToInt32(state.ActivityOutputs["s"]["unchanged"], CultureInfo.InvariantCulture));
        }

        Assert.Equal(6, store.Simulator.Ran("InventoryAvailable"));
        Assert.True(store.Simulator.Throttled == 0, "throttled: " + string.Join("; ", store.Simulator.ThrottledCalls));
        Assert.Equal(25, store.Simulator.State.Available("P-25-9"));
    }

    [Fact]
    public void The_idempotency_key_is_the_batch_content_under_its_reference()
    {
        var uri = "gid://integration-host/StockSync/run-1";
        var key = ShopifyInventory.IdempotencyKey(uri, "correction", [(1, 2, 5), (3, 2, 0)]);

        Assert.Equal(key, ShopifyInventory.IdempotencyKey(uri, "correction", [(1, 2, 5), (3, 2, 0)]));
        Assert.NotEqual(key, ShopifyInventory.IdempotencyKey(uri, "correction", [(1, 2, 6), (3, 2, 0)]));
        Assert.NotEqual(key, ShopifyInventory.IdempotencyKey(uri + "x", "correction", [(1, 2, 5), (3, 2, 0)]));
        Assert.True(Guid.TryParse(key, out _));
    }

    [Theory]
    [InlineData("7.9", 7)]
    [InlineData("7", 7)]
    [InlineData("0.999", 0)]
    [InlineData("-4", 0)]
    [InlineData("0", 0)]
    public void Quantities_are_whole_units_never_below_zero(string available, int expected) =>
        Assert.Equal(expected, ShopifyInventory.Quantity(decimal.Parse(available, CultureInfo.InvariantCulture)));

    [Fact]
    public async Task The_request_carries_name_reason_reference_and_an_explicit_null_change_from()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Book", "BK-1");

        await RunActivityAsync(store.Services, SetInventory([Balance("BK-1", "MAIN-WH", 2)], reference: "sync-9", reason: "received"));

        var sent = store.Simulator.LastVariables("SetInventory")!;
        Assert.Equal("available", sent["input"]!["name"]!.GetValue<string>());
        Assert.Equal("received", sent["input"]!["reason"]!.GetValue<string>());
        Assert.Equal("gid://integration-host/StockSync/sync-9", sent["input"]!["referenceDocumentUri"]!.GetValue<string>());
        var quantity = sent["input"]!["quantities"]![0]!.AsObject();
        Assert.True(quantity.ContainsKey("changeFromQuantity"));
        Assert.Null(quantity["changeFromQuantity"]);
        Assert.True(Guid.TryParse(sent["idempotencyKey"]!.GetValue<string>(), out _));
    }
}
