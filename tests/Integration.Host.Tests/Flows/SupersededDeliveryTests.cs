using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// The host with one flow that takes only newer versions of an order, and no dispatcher loop of its own: each test
/// decides which deliveries share a batch.
/// </summary>
public sealed class OrderVersionsHost : HostFixture
{
    public string FlowsDirectory { get; } = Directory.CreateTempSubdirectory("flows-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database)
    {
        // Stands for a flow that reads the order again from the store (onlyNewerVersions); it counts its runs per order,
        // and a payload whose note is "fail" faults the run.
        File.WriteAllText(Path.Combine(FlowsDirectory, "order-latest.json"), """
            {
              "definitionId": "order-latest",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "created", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "onlyNewerVersions": true, "customProperties": { "canStartWorkflow": true } },
                  { "id": "paid", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/paid", "onlyNewerVersions": true, "customProperties": { "canStartWorkflow": true } },
                  { "id": "updated", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/updated",
                    "onlyNewerVersions": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "true" } }, "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'latest:' + getInput('payload').id" } } },
                  { "id": "check", "type": "Elsa.RunJavaScript", "version": 1,
                    "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "if (getInput('payload').note === 'fail') { throw new Error('refused'); } getInput('payload').updated_at" } } }
                ],
                "connections": [
                  { "source": { "activity": "created", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "paid", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "updated", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "check", "port": "In" } }
                ]
              }
            }
            """);
        // Takes every orders/paid delivery: a delivery it runs is done even when order-latest skips it.
        File.WriteAllText(Path.Combine(FlowsDirectory, "payment-log.json"), """
            {
              "definitionId": "payment-log",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "paid", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/paid", "customProperties": { "canStartWorkflow": true } } ],
                "connections": []
              }
            }
            """);
        // Two triggers that both take orders/paid (as a flow copied and edited might have): one run per delivery.
        File.WriteAllText(Path.Combine(FlowsDirectory, "paid-twice.json"), """
            {
              "definitionId": "paid-twice",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "paid", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/paid", "customProperties": { "canStartWorkflow": true } },
                  { "id": "paidAgain", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/paid", "onlyNewerVersions": true, "customProperties": { "canStartWorkflow": true } }
                ],
                "connections": []
              }
            }
            """);
        // Takes every orders/fulfilled delivery, but only newer versions of orders/cancelled: a run from the first trigger
        // read the order as well as one from the second.
        File.WriteAllText(Path.Combine(FlowsDirectory, "order-mixed.json"), """
            {
              "definitionId": "order-mixed",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "fulfilled", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/fulfilled", "customProperties": { "canStartWorkflow": true } },
                  { "id": "cancelled", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/cancelled", "onlyNewerVersions": true, "customProperties": { "canStartWorkflow": true } }
                ],
                "connections": []
              }
            }
            """);
        return [.. base.Settings(database), new("Flows:Directory", FlowsDirectory)];
    }
}

public sealed class SupersededDeliveryTests(OrderVersionsHost host) : IClassFixture<OrderVersionsHost>
{
    private static readonly byte[] Order = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Deliveries_of_one_order_in_one_batch_run_the_flow_once_and_a_faulted_run_handles_nothing()
    {
        var orderId = NewOrderId();
        // Shopify's burst for one checkout: orders/create, orders/updated and orders/paid at the same updated_at, all
        // waiting when the batch is claimed. The first run reads the order after all three came.
        var created = await DeliverAsync("orders/create", orderId, "2026-11-24T10:00:00-05:00");
        var updated = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:00:00-05:00");
        var paid = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(created));
        Assert.Equal("superseded", await StatusAsync(updated));
        Assert.Equal($"order-latest: order:{orderId} read again by the finished run of inbox {created}",
            await host.ScalarAsync<string>("SELECT error FROM integration.inbox WHERE id = @updated", new { updated }));
        // Another flow took orders/paid: the delivery is done, and order-latest still did not run for it.
        Assert.Equal("done", await StatusAsync(paid));
        Assert.Equal(1, await RunsAsync(orderId, "Finished"));

        // A faulted run handles nothing: the delivery after it in the same batch runs.
        var failing = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:05:00-05:00", note: "fail");
        var again = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:05:00-05:00");
        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(failing));
        Assert.Equal("done", await StatusAsync(again));
        Assert.Equal(1, await RunsAsync(orderId, "Faulted"));
        Assert.Equal(2, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_late_delivery_of_an_older_version_is_superseded_but_the_same_version_in_a_later_batch_runs()
    {
        var orderId = NewOrderId();
        var newer = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:00:05-05:00");
        await DispatchAsync();

        // Store versions are whole seconds: the same version in a later batch may carry a change made in that second
        // after the first run read the order, so it runs. An older version was seen by the run of the newer one.
        var older = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:00:04-05:00");
        var same = await DeliverAsync("orders/paid", orderId, "2026-11-24T15:00:05Z", note: "changed in the same second");
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(newer));
        Assert.Equal("superseded", await StatusAsync(older));
        Assert.Equal("done", await StatusAsync(same));
        Assert.Equal(2, await RunsAsync(orderId, "Finished"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'order-latest' AND trigger = @trigger", new { trigger = $"inbox:{same}" }));
    }

    [Fact]
    public async Task Flows_without_the_flag_and_deliveries_without_a_version_run_every_time()
    {
        var orderId = NewOrderId();
        var first = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        var second = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        var unversioned = await DeliverAsync("orders/updated", orderId, updatedAt: null);
        await DispatchAsync();

        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'payment-log' AND trigger = ANY(@triggers)",
            new { triggers = new[] { $"inbox:{first}", $"inbox:{second}" } }));
        Assert.Equal("done", await StatusAsync(unversioned));
        Assert.Equal(2, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_delivery_that_changes_nothing_but_the_version_is_superseded_while_a_change_and_a_change_back_run()
    {
        var orderId = NewOrderId();
        var created = await DeliverAsync("orders/create", orderId, "2026-11-24T10:00:00-05:00");
        await DispatchAsync();

        // The host wrote a metafield on the order: Shopify sends orders/updated with a new updated_at and nothing else
        // changed in the payload. Then again; and the same version once more in a later batch. Each is the order as the
        // run of the first delivery found it.
        var echo = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:03:00-05:00");
        await DispatchAsync();
        var echoAgain = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:04:00-05:00");
        await DispatchAsync();
        var sameVersion = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:04:00-05:00");
        await DispatchAsync();

        Assert.Equal("superseded", await StatusAsync(echo));
        Assert.Equal($"order-latest: order:{orderId} unchanged since inbox {created}", await NoteAsync(echo));
        Assert.Equal("superseded", await StatusAsync(echoAgain));
        Assert.Equal($"order-latest: order:{orderId} unchanged since inbox {created}", await NoteAsync(echoAgain));
        // payment-log takes every orders/paid, so the row is done, but order-latest did not run for it.
        Assert.Equal("done", await StatusAsync(sameVersion));
        Assert.Equal(1, await RunsAsync(orderId, "Finished"));

        // A person changes the order, then changes it back: both are changes since the delivery before them.
        var edited = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:05:00-05:00", note: "gift wrap");
        await DispatchAsync();
        var reverted = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:06:00-05:00");
        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(edited));
        Assert.Equal("done", await StatusAsync(reverted));
        Assert.Equal(3, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_delivery_unchanged_since_one_whose_run_faulted_runs()
    {
        var orderId = NewOrderId();
        var failing = await DeliverAsync("orders/create", orderId, "2026-11-24T10:00:00-05:00", note: "fail");
        await DispatchAsync();
        var again = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:01:00-05:00", note: "fail");
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(failing));
        Assert.Equal("done", await StatusAsync(again));
        Assert.Equal(2, await RunsAsync(orderId, "Faulted"));
    }

    [Fact]
    public async Task Deliveries_of_another_store_with_the_same_record_id_neither_supersede_nor_cover()
    {
        // Record ids are the store's own (two WooCommerce stores both have an order 55).
        var orderId = NewOrderId();
        var other = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:03:00-05:00", note: "other store", store: HostFixture.RotatedShopDomain);
        await DispatchAsync();
        var older = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:02:00-05:00");
        await DispatchAsync();
        var echo = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:04:00-05:00");
        await DispatchAsync();
        var otherChanged = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:07:00-05:00", store: HostFixture.RotatedShopDomain);
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(other));
        Assert.Equal("done", await StatusAsync(older));
        Assert.Equal($"order-latest: order:{orderId} unchanged since inbox {older}", await NoteAsync(echo));
        Assert.Equal("done", await StatusAsync(otherChanged));
        Assert.Equal(3, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_delivery_whose_record_another_batch_is_dispatching_is_left_for_a_later_claim()
    {
        var orderId = NewOrderId();
        var created = await DeliverAsync("orders/create", orderId, "2026-11-24T10:00:00-05:00");
        var paid = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        var dispatcher = host.Services.GetRequiredService<InboxDispatcher>();

        // Another loop's batch has claimed orders/create and holds the order, as a batch does while it runs its flows.
        await using (var otherBatch = await host.OpenAsync())
        await using (var transaction = await otherBatch.BeginTransactionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(otherBatch, """
                SELECT id FROM integration.inbox WHERE id = @created FOR UPDATE;
                SELECT pg_advisory_xact_lock(hashtext('integration.inbox'), hashtext(@key));
                """, new { created, key = $"shopify {HostFixture.ShopDomain} order:{orderId}" }, transaction);

            // orders/paid is claimed but not dispatched: neither flow runs it while the order is held.
            while (await StatusAsync(paid) == "received" && await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0)
            {
            }

            Assert.Equal("received", await StatusAsync(paid));
            Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE trigger = @trigger", new { trigger = $"inbox:{paid}" }));
        }

        // The other batch ended without running anything: both deliveries are claimed together now.
        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(created));
        Assert.Equal("done", await StatusAsync(paid));
        Assert.Equal(1, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_delivery_left_behind_while_a_later_copy_ran_is_superseded_by_that_run()
    {
        var orderId = NewOrderId();
        var created = await DeliverAsync("orders/create", orderId, "2026-11-24T10:00:00-05:00", note: "first");
        var paid = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");

        // orders/create is held elsewhere (another host's claim that then failed), so orders/paid runs first.
        await using (var otherBatch = await host.OpenAsync())
        await using (var transaction = await otherBatch.BeginTransactionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(otherBatch, "SELECT id FROM integration.inbox WHERE id = @created FOR UPDATE", new { created }, transaction);
            await DispatchAsync();
            Assert.Equal("received", await StatusAsync(created));
            Assert.Equal("done", await StatusAsync(paid));
        }

        // Its run began after orders/create was stored, so it read the order as orders/create has it, or later.
        await DispatchAsync();
        Assert.Equal("superseded", await StatusAsync(created));
        Assert.Equal($"order-latest: order:{orderId} read again by the finished run of inbox {paid}", await NoteAsync(created));
        Assert.Equal(1, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task An_old_delivery_handed_back_after_its_run_does_not_supersede_a_newer_one_dispatched_after_it()
    {
        var orderId = NewOrderId();
        var first = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:00:00-05:00");
        await DispatchAsync();
        var newer = await DeliverAsync("orders/updated", orderId, "2026-11-24T10:05:00-05:00", note: "edited");

        // The newer delivery is held elsewhere (another host's claim) while an operator hands the old one back in bulk:
        // its flow ran it already, so it is done again without a run, and its run still read the order before the edit.
        await using (var otherBatch = await host.OpenAsync())
        await using (var transaction = await otherBatch.BeginTransactionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(otherBatch, "SELECT id FROM integration.inbox WHERE id = @newer FOR UPDATE", new { newer }, transaction);
            using var requeued = await host.Client.PostAsync($"/api/inbox/dispatch?status=done&source=shopify&subject=order:{orderId}", null);
            Assert.Equal(HttpStatusCode.OK, requeued.StatusCode);
            await DispatchAsync();
            Assert.Equal("done", await StatusAsync(first));
            Assert.Equal("received", await StatusAsync(newer));
        }

        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(newer));
        Assert.Equal(2, await RunsAsync(orderId, "Finished"));
    }

    [Fact]
    public async Task A_flow_with_two_triggers_that_take_one_delivery_runs_once_for_it()
    {
        var orderId = NewOrderId();
        var first = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        var second = await DeliverAsync("orders/paid", orderId, "2026-11-24T10:00:00-05:00");
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(first));
        Assert.Equal("done", await StatusAsync(second));
        foreach (var id in new[] { first, second })
        {
            Assert.Equal(1, await host.CountAsync(
                "SELECT count(*) FROM flows.instance WHERE definition_id = 'paid-twice' AND trigger = @trigger", new { trigger = $"inbox:{id}" }));
        }
    }

    [Fact]
    public async Task A_run_from_a_trigger_without_the_flag_covers_a_later_delivery_for_a_trigger_with_it_in_the_same_batch()
    {
        var orderId = NewOrderId();
        var fulfilled = await DeliverAsync("orders/fulfilled", orderId, "2026-11-24T10:00:00-05:00");
        var cancelled = await DeliverAsync("orders/cancelled", orderId, "2026-11-24T10:00:00-05:00");
        await DispatchAsync();

        Assert.Equal("done", await StatusAsync(fulfilled));
        Assert.Equal("superseded", await StatusAsync(cancelled));
        Assert.Equal($"order-mixed: order:{orderId} read again by the finished run of inbox {fulfilled}", await NoteAsync(cancelled));
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM flows.instance WHERE definition_id = 'order-mixed' AND trigger = ANY(@triggers)",
            new { triggers = new[] { $"inbox:{fulfilled}", $"inbox:{cancelled}" } }));
    }

    private static long NewOrderId() => Random.Shared.NextInt64(1L << 40, 1L << 50);

    private async Task<long> DeliverAsync(string topic, long orderId, string? updatedAt, string? note = null, string store = HostFixture.ShopDomain)
    {
        var order = JsonNode.Parse(Order)!.AsObject();
        order["id"] = orderId;
        order["updated_at"] = updatedAt;
        order["note"] = note;
        var webhookId = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(Encoding.UTF8.GetBytes(order.ToJsonString()),
            store == HostFixture.ShopDomain ? HostFixture.ShopSecret : HostFixture.RotatedShopSecret, store, topic, webhookId)))
            .EnsureSuccessStatusCode();
        return await host.ScalarAsync<long>("SELECT id FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId });
    }

    // Every waiting delivery in batches of the dispatcher's size (20): the tests' deliveries share one.
    private async Task DispatchAsync()
    {
        var dispatcher = host.Services.GetRequiredService<InboxDispatcher>();
        while (await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private Task<string> NoteAsync(long id) => host.ScalarAsync<string>("SELECT error FROM integration.inbox WHERE id = @id", new { id });

    private Task<string> StatusAsync(long id) => host.ScalarAsync<string>("SELECT status FROM integration.inbox WHERE id = @id", new { id });

    private Task<long> RunsAsync(long orderId, string status) => host.CountAsync(
        "SELECT count(*) FROM flows.instance WHERE definition_id = 'order-latest' AND correlation_id = @correlation AND status = @status",
        new { correlation = $"latest:{orderId}", status });
}
