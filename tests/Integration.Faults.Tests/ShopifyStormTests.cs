using System.Diagnostics;
using System.Net;
using Integration.EndToEnd.Tests.Eta;
using Integration.EndToEnd.Tests.Shopify;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// The Shopify shop answers a storm of 429s and 5xx while orders arrive (some of their webhooks twice, as Shopify
/// retries during an incident): every order still lands once, with its stock, GL and Valid receipt.
/// </summary>
public sealed class ShopifyStormTests(ShopifyStormTests.StormHost host, ITestOutputHelper log) : IClassFixture<ShopifyStormTests.StormHost>
{
    private const int Orders = 30;

    /// <summary>The ETA store host with short client back-offs, so a storm is weathered in seconds rather than minutes.</summary>
    public sealed class StormHost : EtaStoreHost
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings(Integration.Testing.TestDatabase database) =>
        [
            .. base.Settings(database),
            new("Connectors:Shopify:Resilience:BaseDelay", "00:00:00.050"),
            new("Connectors:Shopify:Resilience:MaxDelay", "00:00:00.500"),
        ];
    }

    [Fact]
    public async Task Orders_taken_during_a_storm_of_429s_and_5xx_are_each_posted_once_with_a_valid_receipt()
    {
        var clock = Stopwatch.StartNew();
        var orders = Enumerable.Range(0, Orders).Select(_ => new ShopifyOrderPayload()).ToList();
        host.Shopify.StartStorm(0.5, [HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway],
            TimeSpan.FromMilliseconds(200));
        try
        {
            // Every fifth order's webhook comes twice: Shopify retries deliveries it is not sure of during its own incident.
            await Task.WhenAll(orders.Select(async (o, i) =>
            {
                await host.OrderEventAsync("orders/create", o.Json());
                if (i % 5 == 0)
                {
                    await host.DeliverAsync("orders/create", o.Json());
                }
            }));
            await SettleReceiptsAsync(orders);
        }
        finally
        {
            host.Shopify.EndStorm();
        }

        // After the storm an operator retries what it left (a breaker that opened, retries used up), as the runbook says.
        var retried = await FaultLoop.RetryOpenIncidentsAsync(host.Client);
        await SettleReceiptsAsync(orders);

        var report = await new LoopConsistency(host.Client, host.Database.ConnectionString, "EG01").CheckAsync(
            [.. orders.Select(FaultLoop.Order)], []);
        log.WriteLine($"storm: {report}; shop refused {host.Shopify.Stormed} of {host.Shopify.Requests} requests "
            + $"({host.Shopify.Throttled} throttled, {host.Shopify.ServerErrors} 5xx); {retried} incidents retried; {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(report.Problems.Count == 0, report.Describe());
        Assert.Equal(Orders, report.ValidReceipts);
        Assert.True(host.Shopify.Throttled > 0 && host.Shopify.ServerErrors > 0, $"{host.Shopify.Throttled} throttled, {host.Shopify.ServerErrors} 5xx");
        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);

        // What the storm did to an order's calls is in its run's journal, beside the activity that made them.
        var notes = new List<string>();
        foreach (var order in orders)
        {
            notes.AddRange((await host.OrderRunsAsync(order.Id))
                .SelectMany(run => run.GetProperty("journal").EnumerateArray())
                .Where(entry => entry.TryGetProperty("notes", out _))
                .SelectMany(entry => entry.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)));
        }

        log.WriteLine($"{notes.Count} retry notes in the order runs' journals, e.g. {notes.FirstOrDefault()}");
        Assert.Contains(notes, n => n.Contains("after THROTTLED", StringComparison.Ordinal) || n.Contains("after 429", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("after 5", StringComparison.Ordinal));
    }

    /// <summary>Submit-and-poll rounds until every invoiced order's receipt is decided (the rounds are the flow's schedule, fired now).</summary>
    private async Task SettleReceiptsAsync(IReadOnlyList<ShopifyOrderPayload> orders)
    {
        for (var round = 0; round < 60; round++)
        {
            await host.SubmitAndPollAsync();
            var pending = await host.CountAsync("""
                SELECT count(*) FROM erp.sales_document d
                WHERE d.doc_type = 'Sales Invoice' AND d.source_id = ANY(@ids)
                  AND NOT EXISTS (SELECT 1 FROM eta.receipt r WHERE r.document_id = d.id AND r.state IN ('Valid', 'Invalid'))
                """, new { ids = orders.Select(o => o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() });
            if (pending == 0)
            {
                return;
            }

            await Task.Delay(250);
        }
    }
}
