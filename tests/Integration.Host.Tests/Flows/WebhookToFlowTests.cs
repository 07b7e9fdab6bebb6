using System.Text.Json;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Flows;

/// <summary>The host with a flows folder of its own: one flow started by Shopify orders/create deliveries.</summary>
public sealed class WebhookFlowHost : HostFixture
{
    public string FlowsDirectory { get; } = Directory.CreateTempSubdirectory("flows-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database)
    {
        File.WriteAllText(Path.Combine(FlowsDirectory, "order-summary.json"), """
            {
              "definitionId": "order-summary",
              "name": "Summarise a Shopify order",
              "version": 1,
              "variables": [ { "id": "lines", "name": "Lines", "typeName": "Int32", "value": "0" } ],
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1,
                    "topic": { "typeName": "String", "expression": { "type": "Literal", "value": "orders/create" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('store') + ':' + getInput('payload').name" } } },
                  { "id": "count", "type": "Elsa.RunJavaScript", "version": 1,
                    "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "setLines(getInput('payload').line_items.length); getInput('payload').total_price" } } },
                  { "id": "summary", "type": "Elsa.SetOutput", "version": 1,
                    "outputName": { "typeName": "String", "expression": { "type": "Literal", "value": "summary" } },
                    "outputValue": { "typeName": "Object", "expression": { "type": "Liquid", "value": "{{ Variables.Lines }} lines" } } }
                ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "count", "port": "In" } },
                  { "source": { "activity": "count", "port": "Done" }, "target": { "activity": "summary", "port": "In" } }
                ]
              }
            }
            """);
        File.WriteAllText(Path.Combine(FlowsDirectory, "item-held.json"), """
            {
              "definitionId": "item-held",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'item:' + getInput('payload').sku + ':' + getInput('payload').status" } } }
                ],
                "connections": [ { "source": { "activity": "event", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ]
              }
            }
            """);
        // Only items put on hold start this one: its trigger's filter refuses every other item change before a run exists.
        File.WriteAllText(Path.Combine(FlowsDirectory, "item-on-hold.json"), """
            {
              "definitionId": "item-on-hold",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed",
                    "filter": { "change": "status", "status": ["On hold", "Disabled"] }, "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'held:' + getInput('payload').sku + ':' + getInput('payload').change" } } }
                ],
                "connections": [ { "source": { "activity": "event", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ]
              }
            }
            """);
        // A filter that fails on every price event: the event is kept, failed, with the flow and the reason.
        File.WriteAllText(Path.Combine(FlowsDirectory, "price-filter-broken.json"), """
            {
              "definitionId": "price-filter-broken",
              "version": 1,
              "root": {
                "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.price.changed", "customProperties": { "canStartWorkflow": true },
                    "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('payload').discount.percent > 0" } } }
                ],
                "connections": []
              }
            }
            """);
        File.WriteAllText(Path.Combine(FlowsDirectory, "refused.json"), """{ "definitionId": "refused", "root": { "id": "r", "type": "Elsa.Flowchart", "activities": [ { "id": "x", "type": "Nope.Nothing" } ] } }""");
        return [.. base.Settings(database), new("Flows:Directory", FlowsDirectory), new("Flows:DispatchInbox", "true")];
    }
}

public sealed class WebhookToFlowTests(WebhookFlowHost host) : IClassFixture<WebhookFlowHost>
{
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task A_stored_orders_create_delivery_starts_its_flow_and_the_run_is_persisted()
    {
        var webhookId = Guid.NewGuid().ToString();
        var response = await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId));
        response.EnsureSuccessStatusCode();

        var run = await WaitForRunAsync($"{HostFixture.ShopDomain}:#9999");

        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("version").GetInt32());
        Assert.Equal("5 lines", run.GetProperty("output").GetProperty("summary").GetString());
        Assert.StartsWith("inbox:", run.GetProperty("trigger").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, run.GetProperty("journal").GetArrayLength());
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId AND status = 'done'", new { webhookId }));
    }

    [Fact]
    public async Task A_delivery_no_flow_wants_is_marked_ignored()
    {
        var webhookId = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, topic: "orders/fulfilled", webhookId: webhookId)))
            .EnsureSuccessStatusCode();

        var ignored = 0L;
        for (var i = 0; i < 100 && ignored == 0; i++)
        {
            await Task.Delay(100);
            ignored = await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId AND status = 'ignored'", new { webhookId });
        }

        Assert.Equal(1, ignored);
    }

    [Fact]
    public async Task An_erp_change_in_the_outbox_starts_the_flows_that_wait_for_its_event()
    {
        var sku = "EVT-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Evented" });
        await host.PostAsync($"/api/erp/items/{sku}/status?company=EG01", new { status = "On hold" });

        var run = await WaitForRunAsync($"item:{sku}:On hold");

        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.StartsWith("outbox:", run.GetProperty("trigger").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erp_change_its_trigger_filter_refuses_creates_no_run()
    {
        var sku = "FLT-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Filtered" });
        await host.PostAsync($"/api/erp/items/{sku}/status?company=EG01", new { status = "On hold" });

        // The status change passes the filter; the creation before it (dispatched first) did not start a run.
        var held = await WaitForRunAsync($"held:{sku}:status");
        Assert.Equal("Finished", held.GetProperty("status").GetString());
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'item-on-hold' AND correlation_id LIKE @like", new { like = $"held:{sku}:%" }));
        Assert.Equal(0, await host.CountAsync("""
            SELECT count(*) FROM flows.instance f JOIN integration.outbox o ON f.trigger = 'outbox:' || o.id
            WHERE f.definition_id = 'item-on-hold' AND o.entity_key = @sku AND o.payload->>'change' = 'created'
            """, new { sku }));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE entity_key = @sku AND status <> 'done'", new { sku }));
    }

    [Fact]
    public async Task An_erp_change_whose_filter_fails_is_kept_failed_naming_the_flow_and_the_reason()
    {
        var sku = "PRC-" + Guid.NewGuid().ToString("N")[..6];
        var priceList = "PL-" + sku;
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Priced" });
        await host.PostAsync("/api/erp/price-lists", new { company = "EG01", id = priceList, name = "Filter test", currency = "EGP" });
        var (status, body) = await host.PostAsync($"/api/erp/price-lists/{priceList}/prices", new { company = "EG01", sku, rate = 10 });
        Assert.True((int)status is >= 200 and < 300, body.ToString());

        string? error = null;
        for (var i = 0; i < 100 && error is null; i++)
        {
            await Task.Delay(100);
            await using var connection = await host.OpenAsync();
            error = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                "SELECT error FROM integration.outbox WHERE topic = 'erp.price.changed' AND entity_key = @sku AND status = 'failed'", new { sku });
        }

        Assert.NotNull(error);
        Assert.Contains("flow price-filter-broken, trigger event: filter: JavaScript filter failed", error, StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.instance WHERE definition_id = 'price-filter-broken'"));
    }

    [Fact]
    public async Task The_flows_api_lists_published_and_refused_flows()
    {
        var flows = await host.GetJsonAsync("/api/flows");

        var published = flows.EnumerateArray().Single(f => f.GetProperty("definitionId").GetString() == "order-summary");
        var refused = flows.EnumerateArray().Single(f => f.GetProperty("file").GetString()!.EndsWith("refused.json", StringComparison.Ordinal));
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal("refused", refused.GetProperty("status").GetString());
        Assert.Contains("unknown activity type 'Nope.Nothing'", refused.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> WaitForRunAsync(string correlationId)
    {
        for (var i = 0; i < 100; i++)
        {
            var runs = await host.GetJsonAsync($"/api/runs?correlationId={Uri.EscapeDataString(correlationId)}");
            if (runs.GetArrayLength() > 0)
            {
                return await host.GetJsonAsync($"/api/runs/{runs[0].GetProperty("id").GetGuid()}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No run with correlation id {correlationId}");
    }
}
