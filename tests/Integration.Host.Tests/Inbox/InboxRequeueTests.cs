using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Host.Tests.Flows;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Inbox;

/// <summary>An operator hands handled deliveries back to the dispatchers (<c>POST /api/inbox/{id}/dispatch</c>, <c>POST /api/inbox/dispatch</c>).</summary>
public sealed class InboxRequeueTests(FilteredWebhooksHost host) : IClassFixture<FilteredWebhooksHost>
{
    private static readonly byte[] Order = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task A_failed_delivery_dispatched_again_runs_only_the_flows_that_had_not_run_it()
    {
        // broken-filter fails on every orders/cancelled; cancel-log takes it.
        var cancelled = await DeliverAsync("orders/cancelled");
        await DispatchAsync();
        Assert.Equal("failed", await StatusAsync(cancelled));

        using var response = await host.Client.PostAsync($"/api/inbox/{cancelled}/dispatch", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/inbox/{cancelled}", response.Headers.Location?.OriginalString);
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("received", entry.GetProperty("status").GetString());
        Assert.Matches(@"^dispatched again at the request of \S+ \(was failed: flow broken-filter, trigger cancelled: filter: JavaScript filter failed", entry.GetProperty("error").GetString());

        await DispatchAsync();
        // The filter is still broken, so it fails again; cancel-log ran it the first time and does not run it twice.
        Assert.Equal("failed", await StatusAsync(cancelled));
        Assert.Equal(1, await RunsAsync(cancelled, "cancel-log"));
    }

    [Fact]
    public async Task Deliveries_no_flow_took_reach_a_flow_published_later_once_each()
    {
        var first = await DeliverAsync("customers/create");
        var second = await DeliverAsync("customers/create");
        await DispatchAsync();
        Assert.Equal("ignored", await StatusAsync(first));

        using var published = await host.Client.PostAsync("/api/flows", new StringContent("""
            { "definitionId": "customer-log", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1, "activities": [
                { "id": "created", "type": "Shopify.WebhookReceived", "version": 1, "topic": "customers/create", "customProperties": { "canStartWorkflow": true } } ],
                "connections": [] } }
            """, Encoding.UTF8, "application/json"));
        published.EnsureSuccessStatusCode();

        var requeued = await host.Client.PostAsync("/api/inbox/dispatch?status=ignored&topic=customers/create&source=shopify", null);
        Assert.Equal(HttpStatusCode.OK, requeued.StatusCode);
        Assert.Equal(2, (await requeued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(first));
        Assert.Equal("done", await StatusAsync(second));
        Assert.Equal(1, await RunsAsync(first, "customer-log"));

        // Done ones dispatched again start nothing twice.
        var again = await host.Client.PostAsync("/api/inbox/dispatch?status=done&topic=customers/create", null);
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        await DispatchAsync();
        Assert.Equal("done", await StatusAsync(second));
        Assert.Equal(1, await RunsAsync(first, "customer-log"));
        Assert.Equal(1, await RunsAsync(second, "customer-log"));

        // One whose run was cancelled (its incident given up on) runs again when handed back, as the runbooks say.
        await using (var connection = await host.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE flows.instance SET status = 'Cancelled' WHERE trigger = @trigger", new { trigger = $"inbox:{first}" });
        }

        (await host.Client.PostAsync($"/api/inbox/{first}/dispatch", null)).EnsureSuccessStatusCode();
        await DispatchAsync();
        Assert.Equal(2, await RunsAsync(first, "customer-log"));
        Assert.Equal(1, await RunsAsync(second, "customer-log"));
    }

    [Fact]
    public async Task A_poisoned_waiting_or_unknown_delivery_is_refused_and_a_bulk_request_must_name_a_status()
    {
        var poisoned = await DeliverAsync("orders/paid", Encoding.UTF8.GetBytes("not json"));
        var waiting = await DeliverAsync("orders/paid");

        using var refusedPoison = await host.Client.PostAsync($"/api/inbox/{poisoned}/dispatch", null);
        using var refusedWaiting = await host.Client.PostAsync($"/api/inbox/{waiting}/dispatch", null);
        using var unknown = await host.Client.PostAsync("/api/inbox/999999999/dispatch", null);
        using var everything = await host.Client.PostAsync("/api/inbox/dispatch", null);
        using var poisonedBulk = await host.Client.PostAsync("/api/inbox/dispatch?status=poisoned", null);

        Assert.Equal(HttpStatusCode.Conflict, refusedPoison.StatusCode);
        Assert.Contains("not JSON", (await refusedPoison.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("poisoned", await StatusAsync(poisoned));
        Assert.Equal(HttpStatusCode.Conflict, refusedWaiting.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, everything.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, poisonedBulk.StatusCode);

        // Nobody will run the poisoned one: dismissed, it is ignored with a note; a waiting one is not dismissed.
        using var dismissed = await host.Client.PostAsync($"/api/inbox/{poisoned}/dismiss", null);
        using var notDismissed = await host.Client.PostAsync($"/api/inbox/{waiting}/dismiss", null);
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var entry = await dismissed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", entry.GetProperty("status").GetString());
        Assert.Matches(@"^dismissed at the request of \S+ \(was poisoned: malformed JSON", entry.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, notDismissed.StatusCode);
    }

    private async Task<long> DeliverAsync(string topic, byte[]? body = null)
    {
        if (body is null)
        {
            var order = JsonNode.Parse(Order)!.AsObject();
            order["id"] = Random.Shared.NextInt64(1L << 40, 1L << 50);
            body = Encoding.UTF8.GetBytes(order.ToJsonString());
        }

        var webhookId = Guid.NewGuid().ToString();
        (await host.Client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain, topic, webhookId))).EnsureSuccessStatusCode();
        return await host.ScalarAsync<long>("SELECT id FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId });
    }

    private async Task DispatchAsync()
    {
        var dispatcher = host.Services.GetRequiredService<InboxDispatcher>();
        while (await dispatcher.DispatchOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    private Task<string> StatusAsync(long id) => host.ScalarAsync<string>("SELECT status FROM integration.inbox WHERE id = @id", new { id });

    private Task<long> RunsAsync(long inboxId, string definitionId) => host.CountAsync(
        "SELECT count(*) FROM flows.instance WHERE trigger = @trigger AND definition_id = @definitionId",
        new { trigger = $"inbox:{inboxId}", definitionId });
}
