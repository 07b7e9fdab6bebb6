using Integration.EndToEnd.Tests.Eta;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Testing.Telemetry;

namespace Integration.EndToEnd.Tests.Telemetry;

/// <summary>
/// An order through the shipped flows to a Valid receipt shows on the host's <c>/metrics</c>: the receipt entering each
/// state, and the calls to the ETA portal and to Shopify; a portal answering 429 shows as such, with deferred receipts.
/// </summary>
public sealed class ReceiptMetricsTests(EtaStoreHost host) : IClassFixture<EtaStoreHost>
{
    private static readonly string Device = $"device=\"{EtaStoreHost.Device}\"";
    private static readonly string EtaDevice = $"store=\"{EtaStoreHost.Device}\"";
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task A_receipt_counts_once_as_draft_submitted_and_valid_and_the_portal_calls_by_status()
    {
        var before = await PrometheusScrape.TakeAsync(host.Client);
        var order = new ShopifyOrderPayload();
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        await host.DeliverAsync("orders/paid", order.Json());
        var docNo = (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("docNo").GetString()!;

        await host.SettleAsync(docNo);
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Metafield(order.Id, "eta", "receipt") is not null, "the order's eta.receipt metafield");

        var after = await PrometheusScrape.TakeAsync(host.Client);
        // Other test classes share the process's meters (and this device name): counts only grow by at least this receipt.
        foreach (var state in new[] { "Draft", "Submitted", "Valid" })
        {
            Assert.True(Delta("integration_eta_receipts_total", Device, $"state=\"{state}\"") >= 1, $"{state} not counted");
        }

        Assert.True(Delta("integration_connector_calls_total", "connector=\"eta\"", EtaDevice, "operation=\"submit\"", "status=\"ok\"") >= 1);
        Assert.True(Delta("integration_connector_calls_total", "connector=\"eta\"", EtaDevice, "operation=\"submission details\"", "status=\"ok\"") >= 1);
        Assert.True(Delta("integration_connector_calls_total", "connector=\"shopify\"", $"store=\"{ShopifyStoreHost.Store}\"", "status=\"ok\"") >= 1);

        double Delta(string metric, params string[] labels) => after.Sum(metric, labels) - before.Sum(metric, labels);
    }

    [Fact]
    public async Task A_portal_answering_429_shows_as_throttled_calls_and_deferred_receipts()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var docNo = (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("docNo").GetString()!;
        var before = await PrometheusScrape.TakeAsync(host.Client);

        host.Eta.ThrottleNext(6, TimeSpan.FromSeconds(1));
        await host.SubmitAndPollAsync();
        var after = await PrometheusScrape.TakeAsync(host.Client);
        await host.SettleAsync(docNo);

        Assert.True(after.Sum("integration_connector_calls_total", "connector=\"eta\"", "status=\"429\"") > before.Sum("integration_connector_calls_total", "connector=\"eta\"", "status=\"429\""));
        Assert.True(after.Sum("integration_eta_receipts_total", Device, "state=\"Deferred\"") > before.Sum("integration_eta_receipts_total", Device, "state=\"Deferred\""));
    }
}
