using System.Net;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Orders;
using Integration.Simulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integration.Connectors.WooCommerce.Tests.Client;

/// <summary>The REST client against the WooCommerce simulator: auth, pages, retries, errors, batches, pace.</summary>
public sealed class WooCommerceClientTests : IDisposable
{
    private readonly WooCommerceSimulator _store = new();

    private static WooCommerceClient Client(ServiceProvider services) => services.GetRequiredService<WooCommerceClients>().For(WooCommerceRuntime.Store);

    [Fact]
    public async Task A_refused_key_is_an_error_with_WooCommerces_code_and_no_retry()
    {
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Stores:0:ConsumerSecret"] = "cs_wrong" });

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, 1));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal("woocommerce_rest_authentication_error", error.Code);
        Assert.False(error.IsTransient || error.ClientRetriesSpent);
        Assert.Contains("REST API key was refused (401)", error.Message, StringComparison.Ordinal);
        Assert.Single(_store.Requests);
    }

    [Fact]
    public async Task An_order_is_read_with_Basic_auth_and_a_missing_one_is_null()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "processing", ["total"] = "100.00" });
        using var services = WooCommerceRuntime.For(_store);
        var orders = services.GetRequiredService<WooCommerceOrders>();

        var order = await orders.GetAsync(WooCommerceRuntime.Store, id);
        var missing = await orders.GetAsync(WooCommerceRuntime.Store, id + 1_000_000);

        Assert.Equal("processing", (string?)order!["status"]);
        Assert.Null(missing);
        Assert.All(_store.Requests, r => Assert.NotEqual(401, r.Status));
    }

    [Fact]
    public async Task Every_page_is_read_until_X_WP_TotalPages()
    {
        // All modified in one second: orders straddling a second would make the read seek to that second (a fourth request).
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 250; i++)
        {
            _store.State.SetOrderStatus(_store.State.PutOrder(new JsonObject { ["status"] = "completed" }), "completed", at);
        }

        using var services = WooCommerceRuntime.For(_store);

        var (orders, _) = await services.GetRequiredService<WooCommerceOrders>().ModifiedSinceAsync(WooCommerceRuntime.Store, DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal(250, orders.Count);
        Assert.Equal(250, orders.Select(o => (long)o["id"]!).Distinct().Count());
        // Three pages of the default listing, and one of the trash (which it leaves out), empty.
        var pages = _store.Requests.Where(r => r.Path == "orders").ToList();
        Assert.Equal(4, pages.Count);
        Assert.All(pages, p => Assert.Contains("per_page=100", p.Query, StringComparison.Ordinal));
        Assert.Equal(1, pages.Count(p => p.Query!.Contains("status=trash", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Server_errors_and_429_with_Retry_After_are_retried()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending" });
        _store.FailNext(2, HttpStatusCode.ServiceUnavailable);
        _store.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1));
        using var services = WooCommerceRuntime.For(_store);

        var order = await services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, id);

        Assert.Equal("pending", (string?)order!["status"]);
        Assert.Equal([503, 503, 429, 200], _store.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Server_errors_beyond_the_retries_fail_with_the_status()
    {
        _store.FailNext(10, HttpStatusCode.BadGateway);
        using var services = WooCommerceRuntime.For(_store);

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, 5));

        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Equal(4, _store.Requests.Count); // the first attempt and 3 retries
        Assert.True(error.ClientRetriesSpent && error.IsTransient); // an activity does not retry it again; its incident is retried later
    }

    [Fact]
    public async Task A_store_whose_every_call_fails_after_its_retries_is_paused_then_tried_once_again()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending" });
        _store.FailNext(8, HttpStatusCode.ServiceUnavailable);
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Resilience:OutagePause"] = "00:00:00.500" });
        var orders = services.GetRequiredService<WooCommerceOrders>();
        for (var call = 0; call < 2; call++)
        {
            await Assert.ThrowsAsync<WooCommerceException>(() => orders.GetAsync(WooCommerceRuntime.Store, id));
        }

        // Two calls in a row spent their retries: the store is down, and the next call fails at once without a request.
        var paused = await Assert.ThrowsAsync<WooCommerceException>(() => orders.GetAsync(WooCommerceRuntime.Store, id));
        Assert.Contains("the store is down (every call in the last minutes failed after its retries); calls are paused", paused.Message, StringComparison.Ordinal);
        Assert.True(paused.IsTransient && paused.ClientRetriesSpent);
        Assert.Equal(8, _store.Requests.Count);
        var health = await StoresHealthAsync(services);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(WooCommerceRuntime.Store, health.Description, StringComparison.Ordinal);

        // Back up (the 8 failures are used): once the pause is over the store is no longer reported paused, and the next
        // call, the trial, goes through and closes the breaker.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.Equal(HealthStatus.Healthy, (await StoresHealthAsync(services)).Status);
        Assert.Equal("pending", (string?)(await orders.GetAsync(WooCommerceRuntime.Store, id))!["status"]);
        Assert.Equal("pending", (string?)(await orders.GetAsync(WooCommerceRuntime.Store, id))!["status"]);
        Assert.Equal(10, _store.Requests.Count);
        Assert.Equal(HealthStatus.Healthy, (await StoresHealthAsync(services)).Status);
    }

    [Fact]
    public async Task Calls_throttled_beyond_their_retries_do_not_pause_the_store()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending" });
        _store.FailNext(8, HttpStatusCode.TooManyRequests, TimeSpan.Zero);
        using var services = WooCommerceRuntime.For(_store);
        var orders = services.GetRequiredService<WooCommerceOrders>();
        for (var call = 0; call < 2; call++)
        {
            var error = await Assert.ThrowsAsync<WooCommerceException>(() => orders.GetAsync(WooCommerceRuntime.Store, id));
            Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
            Assert.True(error.ClientRetriesSpent);
        }

        // Throttling is the store's pace, not an outage: the next call reaches the store.
        Assert.NotNull(await orders.GetAsync(WooCommerceRuntime.Store, id));
        Assert.Equal(9, _store.Requests.Count);
    }

    [Fact]
    public void An_outage_pause_shorter_than_the_breaker_allows_is_refused_naming_the_setting()
    {
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Resilience:OutagePause"] = "00:00:00.100" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Client(services));

        Assert.Contains("OutagePause", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_outage_breaker_off_every_call_reaches_a_store_that_is_down()
    {
        _store.FailNext(12, HttpStatusCode.ServiceUnavailable);
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Resilience:OutageAfterCalls"] = "0" });
        for (var call = 0; call < 3; call++)
        {
            var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, 5));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        }

        Assert.Equal(12, _store.Requests.Count);
        Assert.Equal(HealthStatus.Healthy, (await StoresHealthAsync(services)).Status);
    }

    private static async Task<HealthReportEntry> StoresHealthAsync(ServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["woocommerce-stores"];

    [Fact]
    public async Task The_breaker_inside_the_retries_refusing_a_call_is_told_apart_from_a_store_paused_as_down()
    {
        _store.FailNext(10, HttpStatusCode.ServiceUnavailable);
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Resilience:BreakerMinimumThroughput"] = "2" });

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, 5));

        // Two attempts failed: the inner breaker opened and refused the third; one call is no outage.
        Assert.Contains("keeps failing; calls are paused (circuit open)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _store.Requests.Count);
        Assert.Equal(HealthStatus.Healthy, (await StoresHealthAsync(services)).Status);
    }

    [Fact]
    public async Task A_store_that_answers_between_failures_is_not_paused()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending" });
        using var services = WooCommerceRuntime.For(_store);
        var orders = services.GetRequiredService<WooCommerceOrders>();
        _store.FailNext(4, HttpStatusCode.BadGateway);
        await Assert.ThrowsAsync<WooCommerceException>(() => orders.GetAsync(WooCommerceRuntime.Store, id));
        Assert.NotNull(await orders.GetAsync(WooCommerceRuntime.Store, id));
        _store.FailNext(4, HttpStatusCode.BadGateway);
        await Assert.ThrowsAsync<WooCommerceException>(() => orders.GetAsync(WooCommerceRuntime.Store, id));

        // Two failed calls in the window, but not every call: the store is not down, and the next call reaches it.
        Assert.NotNull(await orders.GetAsync(WooCommerceRuntime.Store, id));
        Assert.Equal(10, _store.Requests.Count);
    }

    [Fact]
    public async Task A_batch_of_250_goes_in_requests_of_100_and_each_failed_item_is_reported()
    {
        var ids = Enumerable.Range(0, 248).Select(i => _store.State.PutProduct(new JsonObject { ["sku"] = $"SKU-{i:D4}", ["manage_stock"] = true, ["stock_quantity"] = 1 })).ToList();
        _store.State.RefuseSku("SKU-0007", "woocommerce_rest_product_not_editable", "The product is locked by another plugin.");
        var updates = ids.Select((id, i) => new JsonObject { ["id"] = id, ["stock_quantity"] = i % 2 == 0 ? 0 : 5 }).ToList();
        updates.Add(new JsonObject { ["id"] = 987_654, ["stock_quantity"] = 3 });
        updates.Add(new JsonObject { ["id"] = ids[0] + 500_000, ["stock_quantity"] = 3 });
        using var services = WooCommerceRuntime.For(_store);

        var result = await Client(services).BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), update: updates);

        Assert.Equal(3, result.Requests);
        Assert.Equal(3, _store.BatchRequests("products/batch"));
        Assert.Equal(247, result.Updated.Count);
        Assert.Equal(3, result.Errors.Count);
        var locked = Assert.Single(result.Errors, e => e.Sku == "SKU-0007" || e.Id == ids[7]);
        Assert.Equal("woocommerce_rest_product_not_editable", locked.Code);
        Assert.Equal(7, locked.Index);
        Assert.Contains(result.Errors, e => e.Id == 987_654 && e.Code == "woocommerce_rest_product_invalid_id");
        Assert.Equal("outofstock", (string?)_store.State.Product(ids[0])!["stock_status"]);
        Assert.Equal("instock", (string?)_store.State.Product(ids[1])!["stock_status"]);
        Assert.Equal(1, (int)_store.State.Product(ids[7])!["stock_quantity"]!); // refused: unchanged
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_store_with_a_lower_batch_limit_gets_smaller_requests_and_loses_no_item()
    {
        using var store = new WooCommerceSimulator(new WooCommerceSimulatorOptions { BatchLimit = 30 });
        var creates = Enumerable.Range(0, 100).Select(i => new JsonObject { ["name"] = $"Mug {i}", ["sku"] = $"MUG-{i:D3}", ["regular_price"] = "10.00" }).ToList();
        using var services = WooCommerceRuntime.For(store);

        var result = await Client(services).BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), create: creates);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(100, result.Created.Count);
        Assert.Equal(100, store.State.Products.Count);
        Assert.Contains(store.Requests, r => r.Status == 413);
        Assert.All(store.Requests.Where(r => r.Status == 200), r => Assert.True(JsonNode.Parse(r.Body!)!["create"]!.AsArray().Count <= 30));
    }

    [Fact]
    public async Task No_more_requests_are_in_flight_than_the_store_allows()
    {
        using var store = new WooCommerceSimulator(new WooCommerceSimulatorOptions { Latency = TimeSpan.FromMilliseconds(30) });
        var ids = Enumerable.Range(0, 12).Select(_ => store.State.PutOrder(new JsonObject { ["status"] = "pending" })).ToList();
        using var services = WooCommerceRuntime.For(store, new Dictionary<string, string?> { ["Stores:0:MaxConcurrentRequests"] = "1" });
        var orders = services.GetRequiredService<WooCommerceOrders>();

        var read = await Task.WhenAll(ids.Select(id => orders.GetAsync(WooCommerceRuntime.Store, id)));

        Assert.All(read, Assert.NotNull);
        Assert.Equal(1, store.MaxInFlight);
        Assert.Equal(1, Client(services).Pace.MaxConcurrentRequests);
    }

    [Fact]
    public async Task A_refund_recorded_by_the_host_never_goes_through_the_payment_gateway()
    {
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "completed", ["total"] = "100.00" });
        using var services = WooCommerceRuntime.For(_store);

        // Even a caller that asks for it does not get a gateway refund.
        await services.GetRequiredService<WooCommerceOrders>().RecordRefundAsync(WooCommerceRuntime.Store, id, new JsonObject { ["amount"] = "30.00", ["api_refund"] = true });

        var refund = Assert.Single(_store.State.Refunds(id));
        Assert.False((bool)refund["refunded_payment"]!);
        Assert.Equal("30.00", (string?)refund["amount"]);
    }

    [Fact]
    public async Task A_store_without_a_key_says_which_settings_are_missing()
    {
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Stores:0:ConsumerKey"] = null, ["Stores:0:ConsumerSecret"] = null });

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceOrders>().GetAsync(WooCommerceRuntime.Store, 1));

        Assert.Contains("ConsumerKey and ConsumerSecret", error.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Requests);
    }

    public void Dispose() => _store.Dispose();
}
