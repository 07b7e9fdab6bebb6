using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Flows;

/// <summary>The host with a flows folder of its own holding two retracted flows: one started by a webhook, one by an ERP event.</summary>
public sealed class RetractedFlowHost : HostFixture
{
    public string FlowsDirectory { get; } = Directory.CreateTempSubdirectory("flows-retracted-").FullName;

    public string OrderFlow => Path.Combine(FlowsDirectory, "retracted-order.json");

    public string ItemFlow => Path.Combine(FlowsDirectory, "retracted-item.json");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database)
    {
        File.WriteAllText(OrderFlow, """
            { "definitionId": "retracted-order", "version": 1, "isPublished": false,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1,
                    "topic": { "typeName": "String", "expression": { "type": "Literal", "value": "orders/create" } }, "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'retracted-order:' + getInput('inboxId')" } } } ],
                "connections": [ { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ] } }
            """);
        File.WriteAllText(ItemFlow, """
            { "definitionId": "retracted-item", "version": 1, "isPublished": false,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'retracted-item:' + getInput('payload').sku" } } } ],
                "connections": [ { "source": { "activity": "event", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ] } }
            """);
        return [.. base.Settings(database), new("Flows:Directory", FlowsDirectory), new("Flows:DispatchInbox", "true")];
    }
}

/// <summary>
/// A retracted flow (<c>"isPublished": false</c> in its file) is loaded and listed but not started by its webhook or
/// its ERP event; published again (the flag taken out), the same triggers start it.
/// </summary>
public sealed class RetractedFlowTests(RetractedFlowHost host) : IClassFixture<RetractedFlowHost>
{
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task A_retracted_webhook_or_event_flow_does_not_start_and_starts_again_once_published()
    {
        var flows = await host.GetJsonAsync("/api/flows");
        Assert.All(flows.EnumerateArray(), f => Assert.Equal("retracted", f.GetProperty("status").GetString()));

        var before = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: before))).EnsureSuccessStatusCode();
        var skuBefore = "RTR-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku = skuBefore, name = "Retracted" });

        // The delivery is handled as one no flow wants, and the event as dispatched; neither started a run.
        await WaitForAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @before AND status = 'ignored'", new { before });
        await WaitForAsync("SELECT count(*) FROM integration.outbox WHERE entity_key = @skuBefore AND status = 'done'", new { skuBefore });
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id IN ('retracted-order', 'retracted-item')"));

        // Published again: the flag goes, the folder watcher publishes the files.
        foreach (var file in new[] { host.OrderFlow, host.ItemFlow })
        {
            await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"isPublished\": false,", "", StringComparison.Ordinal));
        }

        for (var i = 0; i < 100 && (await host.GetJsonAsync("/api/flows")).EnumerateArray().Any(f => f.GetProperty("status").GetString() != "published"); i++)
        {
            await Task.Delay(100);
        }

        var after = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: after))).EnsureSuccessStatusCode();
        var skuAfter = "PUB-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku = skuAfter, name = "Published" });

        await WaitForAsync("""
            SELECT count(*) FROM flows.instance f JOIN integration.inbox i ON f.correlation_id = 'retracted-order:' || i.id
            WHERE f.definition_id = 'retracted-order' AND i.webhook_id = @after AND f.status = 'Finished'
            """, new { after });
        await WaitForAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'retracted-item' AND correlation_id = @id AND status = 'Finished'",
            new { id = $"retracted-item:{skuAfter}" });
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id IN ('retracted-order', 'retracted-item')"));
    }

    private async Task WaitForAsync(string sql, object parameters)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await host.CountAsync(sql, parameters) > 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Never true: {sql}");
    }
}
