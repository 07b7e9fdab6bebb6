using System.Diagnostics;
using Integration.EndToEnd.Tests.Eta;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Simulators.Eta;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// The ETA portal is down for an hour of the host's (fake) time while sales and refunds go on: the receipts queue on
/// their chain, every submit round is deferred, and once the portal is back each goes out once and ends Valid, with
/// every return receipt referencing its sale.
/// </summary>
public sealed class EtaOutageTests(EtaOutageTests.OutageHost host, ITestOutputHelper log) : IClassFixture<EtaOutageTests.OutageHost>
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

    /// <summary>The ETA store host and its portal on one shifted clock (the portal's outage and the host's retry times are in it).</summary>
    public sealed class OutageHost : EtaStoreHost
    {
        public OutageHost()
            : this(new ShiftedClock())
        {
        }

        private OutageHost(ShiftedClock clock)
            : base(EtaPortalSimulator.Start(clock), ownsPortal: false)
        {
            Clock = clock;
            Eta.RegisterDevice(Device, "pos-client", "pos-secret", "pos-psk", "linux", "1");
        }

        public ShiftedClock Clock { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Eta.Dispose();
        }
    }

    [Fact]
    public async Task Receipts_issued_during_an_hour_long_portal_outage_go_out_once_each_and_end_valid_on_an_unbroken_chain()
    {
        var wall = Stopwatch.StartNew();
        var orders = new List<ShopifyOrderPayload>();
        var refunds = 0;
        // Down while an hour of the host's time passes (the schedule's own rounds fire meanwhile too, in real time).
        host.Eta.Down = true;
        var deferredRounds = 0;
        // A step's rounds: the one run here and the schedule's own (a Timer that missed its time while the clock jumped
        // fires at once). A step counts when one of them tried the portal and was deferred.
        var refusedBefore = host.Eta.RefusedWhileDown;

        // Twelve five-minute steps of fake time: each brings three sales and a refund of an earlier sale, and a submit round that cannot reach the portal.
        for (var step = 0; step < 12; step++)
        {
            foreach (var order in Enumerable.Range(0, 3).Select(_ => new ShopifyOrderPayload()))
            {
                Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
                orders.Add(order);
            }

            var refunded = orders[step * 3];
            Assert.Equal("done", await host.DeliverAsync("refunds/create", refunded.RefundJson(refunded.Id + 500, restock: true, (1, 1))));
            refunds++;

            var outcome = await host.SubmitAndPollAsync();
            if (outcome.GetProperty("submit").GetProperty("deferred").GetInt32() > 0 || host.Eta.RefusedWhileDown > refusedBefore)
            {
                deferredRounds++;
            }

            refusedBefore = host.Eta.RefusedWhileDown;
            host.Clock.Advance(Step);
        }

        Assert.Equal(0, host.Eta.AcceptedSubmissions);
        Assert.True(host.Eta.RefusedWhileDown > 0);
        Assert.True(deferredRounds >= 10, $"{deferredRounds} rounds deferred");

        // The hour is over: the portal answers again and the queue drains in chain order.
        host.Eta.Down = false;
        host.Clock.Advance(Step);
        await SettleAsync();

        var report = await new LoopConsistency(host.Client, host.Database.ConnectionString, "EG01").CheckAsync([.. orders.Select(FaultLoop.Order)], []);
        log.WriteLine($"ETA outage: {report}; {refunds} refunds; portal refused {host.Eta.RefusedWhileDown} calls while down, "
            + $"{deferredRounds} rounds deferred, {host.Eta.SubmissionRequests} submissions after; fake time {host.Clock.Offset}, wall {wall.Elapsed.TotalSeconds:0.0} s");
        Assert.True(report.Problems.Count == 0, report.Describe());
        Assert.Equal(orders.Count, report.ValidReceipts);
        Assert.Equal(refunds, report.ValidReturnReceipts);
        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);
        Assert.All(host.Eta.Receipts, r => Assert.Equal("Valid", r.Status));
    }

    private async Task SettleAsync()
    {
        for (var round = 0; round < 60; round++)
        {
            await host.SubmitAndPollAsync();
            if (await host.CountAsync("SELECT count(*) FROM eta.receipt WHERE state NOT IN ('Valid', 'Invalid')") == 0)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail("The receipts did not settle after the outage");
    }
}
