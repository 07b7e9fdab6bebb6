using System.Net;
using System.Text.Json;
using Dapper;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce store that goes down while the ERP's price changes are fed to it: once two calls in a row have spent
/// their retries, the store is paused and the runs after them fail at once (each a transient incident, no retry within
/// the run), so the ERP's event feed is not held a back-off per event; once the store is back, retrying the incidents
/// prices it. Its own host: the pause is the store client's, shared by every run of the host.
/// </summary>
public sealed class WooCommerceOutageTests(WooCommerceOutageTests.OutageHost host) : IClassFixture<WooCommerceOutageTests.OutageHost>
{
    private static readonly string[] Skus = ["OUT-LAMP", "OUT-DISH", "OUT-VASE", "OUT-BOWL"];

    /// <summary>
    /// Short client back-off (2 retries, from 10 ms), a window and a pause of 2 seconds; one loop feeds the ERP's events, so they
    /// queue behind each other as they do in a loop's batch.
    /// </summary>
    public sealed class OutageHost : WooCommerceProductHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
        [
            .. base.Settings(database),
            new("Connectors:WooCommerce:Resilience:BaseDelay", "00:00:00.010"),
            new("Connectors:WooCommerce:Resilience:MaxRetryAttempts", "2"),
            new("Connectors:WooCommerce:Resilience:OutagePause", "00:00:02"),
            new("Connectors:WooCommerce:Resilience:OutageWindow", "00:00:02"),
            new("Flows:Outbox:Loops", "1"),
        ];
    }

    [Fact]
    public async Task Price_changes_fed_while_the_store_is_down_fail_at_once_after_two_calls_and_their_retries_price_the_store_once_it_is_back()
    {
        foreach (var sku in Skus)
        {
            await host.ItemAsync(new { company = "EG01", sku, name = sku, itemGroup = "PRODUCTS" });
            await Ok(host.PostAsync($"/api/erp/price-lists/{WooCommerceProductHost.PriceList}/prices", new { company = "EG01", sku, rate = 10m }));
        }

        await host.SettledAsync();
        await QuietAsync();
        Assert.All(Skus, sku => Assert.Equal("10.00", (string?)host.Priced(sku)["regular_price"]));

        // The store goes down once the calls it answered have left the window (as they do while the first failing call retries).
        await Task.Delay(TimeSpan.FromSeconds(2.1));
        // Counted by the price writes (products/batch): a schedule of the host's may read the store meanwhile.
        var requests = PriceWrites();
        var since = DateTimeOffset.UtcNow;
        host.Woo.Down = true;
        foreach (var sku in Skus)
        {
            await Ok(host.PostAsync($"/api/erp/price-lists/{WooCommerceProductHost.PriceList}/prices", new { company = "EG01", sku, rate = 12m }));
        }

        await host.SettledAsync();
        await QuietAsync();

        // One incident per event, each tried once in its run (the push declares 2 retries 5 s apart: the client had
        // spent its own), transient; the first two reached the store (3 tries each), the others found it paused.
        var incidents = await OpenIncidentsAsync(since);
        Assert.Equal(Skus.Length, incidents.Count);
        Assert.All(incidents, i => Assert.True(i.Attempt == 1 && i.Transient, $"{i.Message}: attempt {i.Attempt}, transient {i.Transient}"));
        Assert.Equal(2, incidents.Count(i => i.Message.Contains("HTTP 503", StringComparison.Ordinal)));
        Assert.Equal(Skus.Length - 2, incidents.Count(i => i.Message.Contains("calls are paused", StringComparison.Ordinal)));
        Assert.Equal(2 * 3, PriceWrites() - requests);
        var health = (await host.GetJsonAsync("/health")).GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "woocommerce-stores");
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal([WooCommerceStoreHost.Store], health.GetProperty("data").GetProperty("paused").EnumerateArray().Select(p => p.GetString()));

        // The store is back; after the pause the incidents' retries (the host's own, or an operator's) price it.
        host.Woo.Down = false;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        foreach (var incident in incidents)
        {
            var (status, answer) = await host.PostAsync($"/api/incidents/{incident.Id}/retry", new { });
            Assert.True(status == HttpStatusCode.OK, answer.ToString());
        }

        await QuietAsync();
        Assert.All(Skus, sku => Assert.Equal("12.00", (string?)host.Priced(sku)["regular_price"]));
        Assert.Empty(await OpenIncidentsAsync(since));
    }

    private int PriceWrites() => host.Woo.Requests.Count(r => r.Path == "products/batch");

    private async Task<IReadOnlyList<(long Id, string Message, int Attempt, bool Transient)>> OpenIncidentsAsync(DateTimeOffset since)
    {
        await using var connection = await host.OpenAsync();
        return [.. await connection.QueryAsync<(long, string, int, bool)>("""
            SELECT i.id, i.message, i.attempt, i.transient FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id
            WHERE i.status = 'Open' AND r.definition_id = 'woocommerce-prices' AND i.created_at >= @since ORDER BY i.id
            """, new { since })];
    }

    private async Task QuietAsync() => await ShopifyStoreHost.EventuallyAsync(async () =>
        (await host.GetJsonAsync("/api/runs?definitionId=woocommerce-prices&limit=500")).EnumerateArray().All(r => r.GetProperty("status").GetString() is "Finished" or "Faulted"),
        "the runs of woocommerce-prices end");

    private static Task Ok(Task<(HttpStatusCode Status, JsonElement Body)> call) => StoreErpSetup.Ok(call);
}
