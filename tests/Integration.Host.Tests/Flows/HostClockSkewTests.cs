using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// Leases are set and judged on the database's clock: a host whose clock runs an hour ahead does not take over a run
/// that another host still holds, and still takes it over once that host has died and its lease ran out.
/// </summary>
public sealed class HostClockSkewTests
{
    [Fact]
    public async Task A_host_whose_clock_runs_an_hour_ahead_leaves_a_live_hosts_run_alone_and_takes_it_over_once_that_host_died()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("clockskew");
        var flows = Directory.CreateTempSubdirectory("flows-clockskew-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "long-step.json"), $$"""
            { "definitionId": "long-step", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "mark", "type": "Elsa.SetOutput", "version": 1, "customProperties": { "commitStrategyName": "Executed" }, "outputName": "order", "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('payload').name" } } },
                  { "id": "slow", "type": "{{HostStopsHere.TypeName}}", "version": 1 },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "done", "outputValue": { "typeName": "Object", "expression": { "type": "Literal", "value": "yes" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "mark", "port": "In" } },
                  { "source": { "activity": "mark", "port": "Done" }, "target": { "activity": "slow", "port": "In" } },
                  { "source": { "activity": "slow", "port": "Done" }, "target": { "activity": "done", "port": "In" } } ] } }
            """);
        WebApplicationFactory<Program> Host(bool holds, TimeSpan clockAhead) => FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.UseSetting("Flows:ResumeBookmarks", holds ? "false" : "true");
            // Long enough that a loaded machine never delays the holder's heartbeat (every 3.3 s) past its lease.
            builder.UseSetting("Flows:Leases:Ttl", "00:00:10");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<FlowActivity>(new HostStopsHere(holds));
                services.AddSingleton<TimeProvider>(new AheadClock(clockAhead));
            });
        });

        var holder = Host(holds: true, TimeSpan.Zero);
        using (var client = holder.CreateClient())
        {
            (await client.SendAsync(SignedDelivery.Shopify(RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json"), HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();
            await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM flows.instance WHERE status = 'Running' AND lease_owner IS NOT NULL AND resume_point IS NOT NULL", polls: 300);
        }

        var owner = await HostStopsHere.ScalarAsync<string>(database, "SELECT lease_owner FROM flows.instance");
        await using var ahead = Host(holds: false, TimeSpan.FromHours(1));
        using var _ = ahead.CreateClient();
        // Many polls of the host ahead: on its own clock every lease of the live host ran out an hour ago.
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(owner, await HostStopsHere.ScalarAsync<string>(database, "SELECT lease_owner FROM flows.instance"));
        Assert.Equal("Running", await HostStopsHere.ScalarAsync<string>(database, "SELECT status FROM flows.instance"));

        // The live host dies: its heartbeats stop, the lease runs out on the database's clock, and the run is taken over.
        await holder.DisposeAsync();
        await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM flows.instance WHERE status = 'Finished'", polls: 300);
        Assert.Equal("yes", await HostStopsHere.ScalarAsync<string>(database, "SELECT output->>'done' FROM flows.instance"));
        Assert.Equal(1L, await HostStopsHere.ScalarAsync<long>(database, "SELECT count(*) FROM flows.instance"));
    }

    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}
