using System.Globalization;
using System.Net;
using Integration.EndToEnd.Tests.Shopify;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce host that runs the schedules (reconciliation, webhook health), in a database of its own, fired by hand
/// only: the tests pause both, so the clock (the hourly check at :17) cannot repair a webhook a test is about to find
/// disabled, nor take the reconciliation's turn.
/// </summary>
public sealed class WooCommerceScheduledHost : WooCommerceStoreHost
{
    protected override bool Schedules => true;

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        foreach (var schedule in new[] { "woocommerce-webhook-check/hourly", "woocommerce-reconcile-orders/every15Minutes" })
        {
            await PauseScheduleAsync(schedule);
        }
    }
}

/// <summary>
/// WooCommerce never retries a failed delivery and disables a webhook after more than 5 failures in a row. While the
/// host was down, orders were lost that way: the webhook check enables the webhook again and the reconciliation books
/// the orders the webhooks never delivered, each once.
/// </summary>
public sealed class ReconciliationTests(WooCommerceScheduledHost host) : IClassFixture<WooCommerceScheduledHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task Orders_lost_while_the_host_was_down_are_booked_once_and_the_disabled_webhook_enabled_again()
    {
        var lost = Enumerable.Range(0, 6).Select(_ => new WooOrderPayload()).ToList();
        using (var down = new HttpClient(new Unavailable()) { BaseAddress = host.Client.BaseAddress })
        {
            host.Woo.Webhooks.Target = down;
            foreach (var order in lost)
            {
                host.Woo.State.PutCustomer(order.Customer());
                host.Woo.State.PutOrder(order.Order());
                var failed = Assert.Single(await host.Woo.Webhooks.TriggerAsync("order.created", order.Id));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
            }

            host.Woo.Webhooks.Target = host.Client;
        }

        Assert.Equal("disabled", host.Woo.State.Webhooks.Single(w => w.Topic == "order.created").Status);

        var check = await host.RunScheduleAsync("woocommerce-webhook-check", "hourly");
        Assert.Equal("[\"order.created\"]", check.GetProperty("output").GetProperty("repaired").GetProperty(WooCommerceStoreHost.Store).GetProperty("reactivated").GetRawText());
        Assert.All(host.Woo.State.Webhooks, w => Assert.Equal("active", w.Status));

        var first = await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        // Every order of the store changed in the last day: the six lost ones, and any another test of the class left.
        Assert.True(first.GetProperty("output").GetProperty("listed").GetProperty(WooCommerceStoreHost.Store).GetInt32() >= lost.Count);
        foreach (var order in lost)
        {
            await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync("Sales Invoice", order.Id) == 1, $"order {order.Id} is invoiced");
        }

        // The next run lists them again (the watermark's overlap): the same versions are the same deliveries.
        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        foreach (var order in lost)
        {
            Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND delivery_key LIKE @key",
                new { key = $"reconcile:{order.Id.ToString(CultureInfo.InvariantCulture)}:%" }));
            Assert.Equal(1, await books.CountAsync("Sales Invoice", order.Id));
            Assert.Equal(1, await books.CountAsync("Payment", order.Id));
        }
    }

    [Fact]
    public async Task An_order_changed_after_the_last_run_is_fed_again_as_its_new_version()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        host.Woo.State.PutCustomer(order.Customer());
        host.Woo.State.PutOrder(order.Order());
        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync("Sales Order", order.Id) == 1, "the on-hold order is a sales order");

        // The bank transfer arrived; the merchant set the order to processing and its webhook was lost.
        host.Woo.State.SetOrderStatus(order.Id, "processing", DateTimeOffset.UtcNow.AddSeconds(10)); // a later version (kept to the second)
        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");

        await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync("Sales Invoice", order.Id) == 1, "the paid order is invoiced");
        Assert.Equal("Completed", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unpaid_order_trashed_while_its_webhook_was_lost_releases_its_reservation_at_the_next_run()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        var reserved = await books.ReservedAsync("MUG-WHT");
        host.Woo.State.PutCustomer(order.Customer());
        host.Woo.State.PutOrder(order.Order());
        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync("Sales Order", order.Id) == 1, "the on-hold order is a sales order");
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));

        // Moved to the trash (WordPress's default listing leaves the trash out), and its order.deleted was lost.
        host.Woo.State.SetOrderStatus(order.Id, "trash", DateTimeOffset.UtcNow.AddSeconds(10));
        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");

        await ShopifyStoreHost.EventuallyAsync(
            async () => (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString() == "Cancelled", "the trashed order's sales order is cancelled");
        Assert.Equal(reserved, await books.ReservedAsync("MUG-WHT"));
    }

    [Fact]
    public async Task An_order_changed_while_a_long_listing_is_read_shifts_no_other_order_out_of_it()
    {
        // A backlog of 120 orders the webhooks missed (more than a page of 100), changed five seconds apart.
        var key = $"woocommerce:{WooCommerceStoreHost.Store}:orders-reconciled";
        var now = DateTimeOffset.UtcNow;
        var backlog = Enumerable.Range(0, 120).Select(_ => new WooOrderPayload()).ToList();
        foreach (var (order, i) in backlog.Select((o, i) => (o, i)))
        {
            host.Woo.State.PutCustomer(order.Customer());
            host.Woo.State.PutOrder(order.Order());
            host.Woo.State.SetOrderStatus(order.Id, "processing", now.AddMinutes(-20).AddSeconds(5 * i));
        }

        await host.ScalarAsync<int>("INSERT INTO integration.watermark (name, value) VALUES (@key, @since) ON CONFLICT (name) DO UPDATE SET value = excluded.value; SELECT 1;",
            new { key, since = now.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture) });

        // Between the first and the second page, the merchant completes the oldest order: it moves to the end of the list.
        var changed = 0;
        host.Woo.OrderPageServed = query =>
        {
            if (query?.TrimStart('?').Split('&').Contains("page=1") == true && Interlocked.Exchange(ref changed, 1) == 0)
            {
                host.Woo.State.SetOrderStatus(backlog[0].Id, "completed", now);
            }
        };
        try
        {
            await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        }
        finally
        {
            host.Woo.OrderPageServed = null;
        }

        Assert.Equal(1, changed);
        await using var connection = await host.OpenAsync();
        var fed = (await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT delivery_key FROM integration.inbox WHERE source = 'woocommerce' AND delivery_key LIKE 'reconcile:%'"))
            .Select(k => long.Parse(k.Split(':')[1], CultureInfo.InvariantCulture)).ToHashSet();
        var missed = backlog.Select(o => o.Id).Where(id => !fed.Contains(id)).ToList();
        Assert.True(missed.Count == 0, $"never listed: {string.Join(", ", missed)}"); // every order of the backlog was listed and fed
    }

    [Fact]
    public async Task A_reconciliation_retried_after_its_feed_failed_leaves_the_watermark_so_the_next_run_books_what_it_never_fed()
    {
        // Two orders whose webhooks were lost, changed ten minutes apart (more than the watermark's minute of overlap).
        var key = $"woocommerce:{WooCommerceStoreHost.Store}:orders-reconciled";
        var since = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);
        var (older, newer) = (new WooOrderPayload(), new WooOrderPayload());
        foreach (var (order, minutesAgo) in new[] { (older, 12), (newer, 2) })
        {
            host.Woo.State.PutCustomer(order.Customer());
            host.Woo.State.PutOrder(order.Order());
            host.Woo.State.SetOrderStatus(order.Id, "processing", DateTimeOffset.UtcNow.AddMinutes(-minutesAgo));
        }

        await host.ScalarAsync<int>("""
            INSERT INTO integration.watermark (name, value) VALUES (@key, @since) ON CONFLICT (name) DO UPDATE SET value = excluded.value;
            CREATE FUNCTION integration.refuse_reconciled() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the inbox is refusing the reconciliation'; END $$;
            CREATE TRIGGER refuse_reconciled BEFORE INSERT ON integration.inbox FOR EACH ROW WHEN (NEW.delivery_key LIKE 'reconcile:%')
                EXECUTE FUNCTION integration.refuse_reconciled();
            SELECT 1;
            """, new { key, since });
        long incident;
        try
        {
            // The run lists both, and feeding them into the inbox fails: an incident.
            var (started, body) = await host.PostAsync("/api/schedules/woocommerce-reconcile-orders/every15Minutes/run", new { });
            Assert.True(started == HttpStatusCode.Accepted, body.ToString());
            await ShopifyStoreHost.EventuallyAsync(async () => await host.CountAsync(Incidents) == 1, "the feed's incident");
            incident = await host.ScalarAsync<long>(Incidents.Replace("count(*)", "i.id", StringComparison.Ordinal));
        }
        finally
        {
            await host.ScalarAsync<int>("DROP TRIGGER refuse_reconciled ON integration.inbox; DROP FUNCTION integration.refuse_reconciled(); SELECT 1;");
        }

        // Retried later, the run has lost its listing (kept in the host's memory only): it must not move the watermark past it.
        var (status, retried) = await host.PostAsync($"/api/incidents/{incident}/retry", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Finished", retried.GetProperty("status").GetString());
        Assert.Equal(since, await host.ScalarAsync<string>("SELECT value FROM integration.watermark WHERE name = @key", new { key }));

        await host.RunScheduleAsync("woocommerce-reconcile-orders", "every15Minutes");
        foreach (var order in new[] { older, newer })
        {
            await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync("Sales Invoice", order.Id) == 1, $"order {order.Id} is invoiced");
        }
    }

    private const string Incidents = "SELECT count(*) FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE i.status = 'Open' AND r.definition_id = 'woocommerce-reconcile-orders'";

    private sealed class Unavailable : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
    }
}
