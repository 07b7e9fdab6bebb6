using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Integration.Host.Tests.Flows;

namespace Integration.Host.Tests.Outbox;

/// <summary>Operators see the ERP's events and hand failed ones back to the flows (<c>/api/outbox</c>).</summary>
public sealed class OutboxApiTests(WebhookFlowHost host) : IClassFixture<WebhookFlowHost>
{
    [Fact]
    public async Task A_failed_event_is_listed_raised_in_health_and_runs_once_after_its_filter_is_fixed()
    {
        // price-filter-broken's filter fails on every price event (WebhookFlowHost).
        var sku = "RQ-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Requeued" });
        await host.PostAsync("/api/erp/price-lists", new { company = "EG01", id = "PL-" + sku, name = "Requeue test", currency = "EGP" });
        await host.PostAsync($"/api/erp/price-lists/PL-{sku}/prices", new { company = "EG01", sku, rate = 10 });
        var failed = await WaitForAsync($"/api/outbox?status=failed&topic=erp.price.changed&entityKey={sku}", page => page.GetProperty("items").GetArrayLength() == 1);
        var entry = failed.GetProperty("items")[0];
        var id = entry.GetProperty("id").GetInt64();
        Assert.Contains("flow price-filter-broken, trigger event: filter: JavaScript filter failed", entry.GetProperty("error").GetString(), StringComparison.Ordinal);

        var health = await host.GetJsonAsync("/health");
        var outbox = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "outbox");
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.True(outbox.GetProperty("data").GetProperty("failed").GetInt64() >= 1);

        var detail = await host.GetJsonAsync($"/api/outbox/{id}");
        Assert.Equal(sku, detail.GetProperty("payload").GetProperty("sku").GetString());
        Assert.Equal(0, detail.GetProperty("runs").GetArrayLength());

        // The filter fixed (published through the API), the event is handed back and runs the flow once.
        using var fixedFlow = await host.Client.PostAsync("/api/flows", new StringContent("""
            { "definitionId": "price-filter-broken", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [
                { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.price.changed", "customProperties": { "canStartWorkflow": true },
                  "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "(getInput('payload').discount || {}).percent > 0 || getInput('payload').sku !== undefined" } } } ],
                "connections": [] } }
            """, Encoding.UTF8, "application/json"));
        fixedFlow.EnsureSuccessStatusCode();
        using var requeued = await host.Client.PostAsync($"/api/outbox/{id}/dispatch", null);
        Assert.Equal(HttpStatusCode.Accepted, requeued.StatusCode);
        var pending = await requeued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches(@"^dispatched again at the request of \S+ \(was failed: flow price-filter-broken", pending.GetProperty("error").GetString());

        var done = await WaitForAsync($"/api/outbox/{id}", e => e.GetProperty("entry").GetProperty("status").GetString() == "done");
        var run = Assert.Single(done.GetProperty("runs").EnumerateArray());
        Assert.Equal("price-filter-broken", run.GetProperty("definitionId").GetString());

        // Done, and handed back again: no flow runs it twice.
        using var again = await host.Client.PostAsync($"/api/outbox/dispatch?status=done&topic=erp.price.changed&entityKey={sku}", null);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        var twice = await WaitForAsync($"/api/outbox/{id}", e => e.GetProperty("entry").GetProperty("status").GetString() == "done");
        Assert.Equal(2 + 1, twice.GetProperty("entry").GetProperty("attempts").GetInt32());
        Assert.Single(twice.GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task An_event_handed_back_does_not_wake_again_the_runs_waiting_for_that_events_topic()
    {
        // A run per new WAIT- item waits for two price changes of it, one after the other.
        using var published = await host.Client.PostAsync("/api/flows", new StringContent("""
            { "definitionId": "price-waiter", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [
                { "id": "created", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed", "customProperties": { "canStartWorkflow": true },
                  "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('payload').change === 'created' && getInput('payload').sku.startsWith('WAIT-')" } } },
                { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                  "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('payload').sku" } } },
                { "id": "firstPrice", "type": "Elsa.Event", "version": 1, "eventName": "erp.price.changed" },
                { "id": "secondPrice", "type": "Elsa.Event", "version": 1, "eventName": "erp.price.changed" } ],
                "connections": [
                  { "source": { "activity": "created", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "firstPrice", "port": "In" } },
                  { "source": { "activity": "firstPrice", "port": "Done" }, "target": { "activity": "secondPrice", "port": "In" } } ] } }
            """, Encoding.UTF8, "application/json"));
        published.EnsureSuccessStatusCode();
        var sku = "WAIT-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Waited for" });
        await host.PostAsync("/api/erp/price-lists", new { company = "EG01", id = "PL-" + sku, name = "Wait test", currency = "EGP" });
        await WaitForAsync($"/api/runs?correlationId={sku}", runs => runs.GetArrayLength() == 1 && runs[0].GetProperty("status").GetString() == "Suspended");

        await host.PostAsync($"/api/erp/price-lists/PL-{sku}/prices", new { company = "EG01", sku, rate = 10 });
        var first = await WaitForAsync($"/api/outbox?topic=erp.price.changed&entityKey={sku}", page => page.GetProperty("items").EnumerateArray().Any(e => e.GetProperty("status").GetString() is "done" or "failed"));
        var firstId = first.GetProperty("items")[0].GetProperty("id").GetInt64();
        var waiting = await WaitForRunAsync(sku, run => Blocked(run) == "secondPrice");

        // The first price change handed back: the run waiting for the second one stays waiting.
        using var requeued = await host.Client.PostAsync($"/api/outbox/{firstId}/dispatch", null);
        Assert.Equal(HttpStatusCode.Accepted, requeued.StatusCode);
        await WaitForAsync($"/api/outbox/{firstId}", e => e.GetProperty("entry").GetProperty("status").GetString() is "done" or "failed"
            && e.GetProperty("entry").GetProperty("attempts").GetInt32() == 2);
        await Task.Delay(1500);
        Assert.Equal("secondPrice", Blocked(await RunAsync(waiting.GetProperty("id").GetGuid())));

        // A new price change wakes it.
        await host.PostAsync($"/api/erp/price-lists/PL-{sku}/prices", new { company = "EG01", sku, rate = 12 });
        var finished = await WaitForRunAsync(sku, run => run.GetProperty("status").GetString() == "Finished");
        Assert.Equal("Finished", finished.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_failed_event_nobody_will_run_is_dismissed_with_a_note_and_a_done_one_is_not()
    {
        using var published = await host.Client.PostAsync("/api/flows", new StringContent("""
            { "definitionId": "promotion-filter-broken", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [
                { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "erp.promotion.changed", "customProperties": { "canStartWorkflow": true },
                  "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('payload').nothing.here" } } } ],
                "connections": [] } }
            """, Encoding.UTF8, "application/json"));
        published.EnsureSuccessStatusCode();
        var promotion = "DIS-" + Guid.NewGuid().ToString("N")[..6];
        await host.PostAsync("/api/erp/promotions", new { company = "EG01", id = promotion, name = "Dismissed", kind = "Percentage", value = 5m, itemGroups = new[] { "ALL" }, validFrom = "2026-01-01", validTo = "2026-12-31" });
        var failed = await WaitForAsync("/api/outbox?status=failed&topic=erp.promotion.changed", page => page.GetProperty("items").GetArrayLength() >= 1);
        var id = failed.GetProperty("items")[0].GetProperty("id").GetInt64();

        using var dismissed = await host.Client.PostAsync($"/api/outbox/{id}/dismiss", null);
        using var again = await host.Client.PostAsync($"/api/outbox/{id}/dismiss", null);

        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var entry = await dismissed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("done", entry.GetProperty("status").GetString());
        Assert.Matches(@"^dismissed at the request of \S+ \(was failed: flow promotion-filter-broken, trigger event: filter: JavaScript filter failed", entry.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(0, (await host.GetJsonAsync($"/api/outbox/{id}")).GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_events_and_requests_without_a_status_are_refused()
    {
        using var unknown = await host.Client.PostAsync("/api/outbox/999999999/dispatch", null);
        using var missing = await host.Client.GetAsync("/api/outbox/999999999");
        using var everything = await host.Client.PostAsync("/api/outbox/dispatch", null);
        using var pending = await host.Client.PostAsync("/api/outbox/dispatch?status=pending", null);
        using var badStatus = await host.Client.GetAsync("/api/outbox?status=lost");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, everything.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    // The activity a suspended run waits in (its one bookmark), or null when it waits for nothing.
    private static string? Blocked(JsonElement run) =>
        run.GetProperty("status").GetString() == "Suspended" && run.GetProperty("bookmarks").GetArrayLength() == 1
            ? run.GetProperty("bookmarks")[0].GetProperty("activityId").GetString()
            : null;

    private Task<JsonElement> RunAsync(Guid id) => host.GetJsonAsync($"/api/runs/{id}");

    private async Task<JsonElement> WaitForRunAsync(string correlationId, Func<JsonElement, bool> condition)
    {
        var runs = await WaitForAsync($"/api/runs?correlationId={correlationId}", runs => runs.GetArrayLength() == 1);
        for (var i = 0; i < 150; i++)
        {
            var run = await RunAsync(runs[0].GetProperty("id").GetGuid());
            if (condition(run))
            {
                return run;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"run {correlationId} never met the condition: {(await RunAsync(runs[0].GetProperty("id").GetGuid())).GetRawText()}");
    }

    private async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition)
    {
        for (var i = 0; i < 150; i++)
        {
            var answer = await host.GetJsonAsync(path);
            if (condition(answer))
            {
                return answer;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never met the condition: {(await host.GetJsonAsync(path)).GetRawText()}");
    }
}
