using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// Two hosts on one database, as a scaled-out deployment runs: webhooks sent to either are each dispatched exactly once,
/// by whichever host claims them, and the work is shared by both.
/// </summary>
public sealed class ScaleOutTests
{
    private const int Deliveries = 200;
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Two_hundred_webhooks_split_across_two_hosts_start_one_run_each_and_both_hosts_run_some()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("scale-out");
        var flows = Directory.CreateTempSubdirectory("flows-scale-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "which-host.json"), """
            {
              "definitionId": "which-host", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1,
                    "topic": { "typeName": "String", "expression": { "type": "Literal", "value": "orders/create" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "label", "type": "Test.HostLabel", "version": 1 }
                ],
                "connections": [ { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "label", "port": "In" } } ] } }
            """);
        await using var first = Host(database, flows, "host-a");
        await using var second = Host(database, flows, "host-b");
        using var a = first.CreateClient();
        using var b = second.CreateClient();

        // Half to each host, a few at a time, as a load balancer without sticky sessions would send them. One order each:
        // deliveries of one order are dispatched by one batch of the cluster at a time, so copies of a single order would
        // leave the work to whichever host holds it.
        var ids = Enumerable.Range(0, Deliveries).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var chunk in ids.Select((id, i) => (id, i, client: i % 2 == 0 ? a : b)).Chunk(10))
        {
            await Task.WhenAll(chunk.Select(async d =>
            {
                var order = System.Text.Json.Nodes.JsonNode.Parse(OrderCreated)!;
                order["id"] = 7_000_000_000_000L + d.i;
                var body = System.Text.Encoding.UTF8.GetBytes(order.ToJsonString());
                using var response = await d.client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: d.id));
                response.EnsureSuccessStatusCode();
            }));
        }

        for (var i = 0; i < 1200 && await CountAsync(database, "SELECT count(*) FROM integration.inbox WHERE status = 'received'") > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(Deliveries, await CountAsync(database, "SELECT count(*) FROM integration.inbox WHERE status = 'done' AND attempts = 1"));
        Assert.Equal(Deliveries, await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'which-host' AND status = 'Finished'"));
        Assert.Equal(Deliveries, await CountAsync(database, "SELECT count(DISTINCT trigger) FROM flows.instance WHERE definition_id = 'which-host'"));
        var byA = await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'which-host' AND console::text LIKE '%ran on host-a%'");
        var byB = await CountAsync(database, "SELECT count(*) FROM flows.instance WHERE definition_id = 'which-host' AND console::text LIKE '%ran on host-b%'");
        Assert.Equal(Deliveries, byA + byB);
        Assert.True(byA > 0 && byB > 0, $"host-a ran {byA}, host-b ran {byB}: one host did all the work");
    }

    private static WebApplicationFactory<Program> Host(TestDatabase database, string flows, string label) =>
        FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<FlowActivity>(new HostLabel(label)));
        });

    private static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }

    /// <summary><c>Test.HostLabel</c>: writes which host ran the run into its console.</summary>
    private sealed class HostLabel(string label) : FlowActivity
    {
        public override ActivityDescriptor Descriptor { get; } = new("Test.HostLabel", "Test", "Host label", [], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
        {
            context.WriteLine("ran on " + label);
            return ValueTask.FromResult(ActivityResult.Done);
        }
    }
}
