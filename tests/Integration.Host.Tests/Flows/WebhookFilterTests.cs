using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

/// <summary>The host with flows whose webhook triggers filter the deliveries they take, and no dispatcher loop of its own.</summary>
public sealed class FilteredWebhooksHost : HostFixture
{
    public string FlowsDirectory { get; } = Directory.CreateTempSubdirectory("flows-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database)
    {
        // Only orders/updated that carry refunds (as shopify-refund-settled).
        Flow("refund-watch", """
            { "id": "updated", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/updated",
              "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "(getInput('payload').refunds || []).length > 0" } },
              "customProperties": { "canStartWorkflow": true } }
            """);
        // Any topic, matched declaratively on the envelope and the payload.
        Flow("eur-orders", """
            { "id": "any", "type": "Shopify.WebhookReceived", "version": 1, "topic": "*",
              "filter": { "$topic": ["orders/create", "orders/paid"], "currency": "EUR" }, "customProperties": { "canStartWorkflow": true } }
            """);
        // A filter that fails on every delivery (no such field), beside a flow that takes them all.
        Flow("broken-filter", """
            { "id": "cancelled", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/cancelled",
              "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('payload').missing.field > 0" } },
              "customProperties": { "canStartWorkflow": true } }
            """);
        Flow("cancel-log", """
            { "id": "cancelled", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/cancelled", "customProperties": { "canStartWorkflow": true } }
            """);
        return [.. base.Settings(database), new("Flows:Directory", FlowsDirectory)];
    }

    private void Flow(string definitionId, string trigger) =>
        File.WriteAllText(Path.Combine(FlowsDirectory, definitionId + ".json"), $$"""
            { "definitionId": "{{definitionId}}", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [ {{trigger}} ], "connections": [] } }
            """);
}

public sealed class WebhookFilterTests(FilteredWebhooksHost host) : IClassFixture<FilteredWebhooksHost>
{
    private static readonly byte[] Order = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task A_delivery_the_filter_refuses_starts_no_run_and_is_ignored_with_the_filters_named()
    {
        var plain = await DeliverAsync("orders/updated", order => order["refunds"] = new JsonArray());
        var refunded = await DeliverAsync("orders/updated", order => order["refunds"] = new JsonArray(new JsonObject { ["id"] = 7L }));
        await DispatchAsync();

        var (status, note) = await OutcomeAsync(plain);
        Assert.Equal("ignored", status);
        Assert.Contains("refund-watch/updated: filtered out ((getInput('payload').refunds || []).length > 0)", note, StringComparison.Ordinal);
        Assert.Equal(0, await RunsAsync(plain));
        Assert.Equal(("done", null), await OutcomeAsync(refunded));
        Assert.Equal(1, await RunsAsync(refunded, "refund-watch"));
    }

    [Fact]
    public async Task A_declarative_filter_matches_the_topic_and_payload_fields()
    {
        var euro = await DeliverAsync("orders/paid", order => order["currency"] = "EUR");
        var dollar = await DeliverAsync("orders/paid", order => order["currency"] = "USD");
        var euroUpdated = await DeliverAsync("orders/updated", order => order["currency"] = "EUR");
        await DispatchAsync();

        Assert.Equal(1, await RunsAsync(euro, "eur-orders"));
        Assert.Equal(0, await RunsAsync(dollar));
        Assert.Equal(("ignored", "eur-orders/any: filtered out ($topic=[\"orders/create\",\"orders/paid\"], currency=\"EUR\")"), await OutcomeAsync(dollar));
        // Both flows that listen to orders/updated refused it (eur-orders takes any topic): the note names both.
        var (status, note) = await OutcomeAsync(euroUpdated);
        Assert.Equal("ignored", status);
        Assert.Contains("refund-watch/updated: filtered out", note, StringComparison.Ordinal);
        Assert.Contains("eur-orders/any: filtered out", note, StringComparison.Ordinal);
        Assert.Equal(0, await RunsAsync(euroUpdated));
    }

    [Fact]
    public async Task A_filter_that_fails_marks_the_delivery_failed_with_the_reason_after_the_other_flows_took_it()
    {
        var cancelled = await DeliverAsync("orders/cancelled", _ => { });
        await DispatchAsync();

        var (status, note) = await OutcomeAsync(cancelled);
        Assert.Equal("failed", status);
        Assert.StartsWith("flow broken-filter, trigger cancelled: filter: JavaScript filter failed:", note, StringComparison.Ordinal);
        Assert.Equal(1, await RunsAsync(cancelled, "cancel-log"));
        Assert.Equal(0, await RunsAsync(cancelled, "broken-filter"));
    }

    private async Task<long> DeliverAsync(string topic, Action<JsonObject> change)
    {
        var order = JsonNode.Parse(Order)!.AsObject();
        order["id"] = Random.Shared.NextInt64(1L << 40, 1L << 50);
        change(order);
        var webhookId = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(Encoding.UTF8.GetBytes(order.ToJsonString()), HostFixture.ShopSecret, HostFixture.ShopDomain, topic, webhookId)))
            .EnsureSuccessStatusCode();
        return await host.ScalarAsync<long>("SELECT id FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId });
    }

    private async Task DispatchAsync()
    {
        var dispatcher = host.Services.GetRequiredService<InboxDispatcher>();
        while (await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private async Task<(string Status, string? Note)> OutcomeAsync(long id)
    {
        await using var connection = await host.OpenAsync();
        return await Dapper.SqlMapper.QuerySingleAsync<(string, string?)>(connection, "SELECT status, error FROM integration.inbox WHERE id = @id", new { id });
    }

    private Task<long> RunsAsync(long inboxId, string? definitionId = null) => host.CountAsync(
        "SELECT count(*) FROM flows.instance WHERE trigger = @trigger AND (@definitionId::text IS NULL OR definition_id = @definitionId)",
        new { trigger = $"inbox:{inboxId}", definitionId });
}
