using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// The host's inbox dispatcher polls only every five minutes here, so a delivery that starts its flow in seconds was
/// handed over by the intake's wake-up, not found by the poll. A woken loop gathers for two seconds before it claims.
/// </summary>
public sealed class SlowPollHost : HostFixture
{
    public string FlowsDirectory { get; } = Directory.CreateTempSubdirectory("flows-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database)
    {
        File.WriteAllText(Path.Combine(FlowsDirectory, "order-seen.json"), """
            {
              "definitionId": "order-seen",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "onlyNewerVersions": true,
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "paid", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/paid", "onlyNewerVersions": true,
                    "customProperties": { "canStartWorkflow": true } }
                ],
                "connections": []
              }
            }
            """);
        return [.. base.Settings(database), new("Flows:Directory", FlowsDirectory), new("Flows:DispatchInbox", "true"), new("Flows:Inbox:Poll", "00:05:00"), new("Flows:Inbox:Gather", "00:00:02")];
    }
}

public sealed class InboxWakeUpTests(SlowPollHost host) : IClassFixture<SlowPollHost>
{
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Deliveries_this_host_stores_are_dispatched_at_once_not_at_the_next_poll()
    {
        // Let the loops make their first claim at start and settle into their five-minute wait.
        await Task.Delay(TimeSpan.FromSeconds(1));
        for (var delivery = 0; delivery < 3; delivery++)
        {
            var webhookId = Guid.NewGuid().ToString();
            // A new order each time: the same one again would be superseded as unchanged.
            var order = JsonNode.Parse(OrderCreated)!;
            order["id"] = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
            (await host.Client.SendAsync(SignedDelivery.Shopify(Encoding.UTF8.GetBytes(order.ToJsonString()), HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId)))
                .EnsureSuccessStatusCode();

            var done = 0L;
            for (var i = 0; i < 150 && done == 0; i++)
            {
                await Task.Delay(100);
                done = await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId AND status = 'done'", new { webhookId });
            }

            Assert.Equal(1, done);
            Assert.Equal(1, await host.CountAsync(
                "SELECT count(*) FROM flows.instance f JOIN integration.inbox i ON f.trigger = 'inbox:' || i.id WHERE i.webhook_id = @webhookId AND f.status = 'Finished'",
                new { webhookId }));
        }
    }

    [Fact]
    public async Task Deliveries_of_one_checkout_sent_together_run_the_flow_once()
    {
        var order = JsonNode.Parse(OrderCreated)!;
        order["id"] = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
        var body = Encoding.UTF8.GetBytes(order.ToJsonString());
        var (created, paid) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        (await host.Client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain, topic: "orders/create", webhookId: created)))
            .EnsureSuccessStatusCode();
        (await host.Client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain, topic: "orders/paid", webhookId: paid)))
            .EnsureSuccessStatusCode();

        var handled = 0L;
        for (var i = 0; i < 150 && handled < 2; i++)
        {
            await Task.Delay(100);
            handled = await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id IN (@created, @paid) AND status <> 'received'", new { created, paid });
        }

        // One ran the flow, the other was superseded by that run. Usually orders/create runs: both are claimed in one batch,
        // in the order they came. Two loops may still split them (each claims one, and the loop whose claim locked the
        // order first runs it), so which of the two ran is not asserted; that the flow ran once is.
        await using (var connection = await host.OpenAsync())
        {
            Assert.Equal(["done", "superseded"], await Dapper.SqlMapper.QueryAsync<string>(connection,
                "SELECT status FROM integration.inbox WHERE webhook_id IN (@created, @paid) ORDER BY status", new { created, paid }));
        }

        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM flows.instance f JOIN integration.inbox i ON f.trigger = 'inbox:' || i.id WHERE i.webhook_id IN (@created, @paid)", new { created, paid }));
    }
}
