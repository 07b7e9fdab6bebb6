using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Host.Tests.Flows;

public sealed class HostTakeoverTests
{
    [Fact]
    public async Task A_run_left_in_flight_by_a_dead_host_is_finished_by_another_without_repeating_its_http_call_and_with_its_outputs()
    {
        using var erp = WireMockServer.Start();
        // Larger than a journal value kept inline: the answer is stored apart, and read back when the run resumes.
        var lines = new string('x', 3000);
        erp.Given(Request.Create().WithPath("/invoices").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($$"""{ "invoice": "SINV-0001", "lines": "{{lines}}" }"""));
        await using var database = await TestPostgres.CreateDatabaseAsync("takeover");
        var flows = Directory.CreateTempSubdirectory("flows-takeover-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "post-invoice.json"), $$"""
            { "definitionId": "post-invoice", "version": 1,
              "variables": [ { "id": "invoice", "name": "Invoice", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "post", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{erp.Url}}/invoices",
                    "expectedStatusCodes": { "typeName": "Int32[]", "expression": { "type": "Object", "value": "[201]" } },
                    "content": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ order: getInput('payload').name })" } },
                    "parsedContent": { "typeName": "Object", "memoryReference": { "id": "invoice" } } },
                  { "id": "slow", "type": "{{HostStopsHere.TypeName}}", "version": 1 },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "invoice",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInvoice().invoice" } } },
                  { "id": "seen", "type": "Elsa.SetOutput", "version": 1, "outputName": "seen",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('post', 'statusCode') + ' ' + getOutputFrom('post', 'parsedContent').invoice + ' ' + getOutputFrom('post', 'parsedContent').lines.length" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "post", "port": "In" } },
                  { "source": { "activity": "post", "port": "201" }, "target": { "activity": "slow", "port": "In" } },
                  { "source": { "activity": "slow", "port": "Done" }, "target": { "activity": "done", "port": "In" } },
                  { "source": { "activity": "done", "port": "Done" }, "target": { "activity": "seen", "port": "In" } } ] } }
            """);
        WebApplicationFactory<Program> Host(bool dies) => FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.UseSetting("Flows:ResumeBookmarks", dies ? "false" : "true");
            builder.UseSetting("Flows:Leases:Ttl", "00:00:02");
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(new HostStopsHere(dies)));
        });

        await using (var doomed = Host(dies: true))
        {
            using var client = doomed.CreateClient();
            var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
            (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();
            await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM flows.instance WHERE status = 'Running' AND resume_point IS NOT NULL", polls: 200);
            Assert.Equal(0L, await HostStopsHere.ScalarAsync<long>(database, "SELECT count(*) FROM integration.inbox WHERE status = 'done'"));
        }

        // The first host is gone mid-run: its delivery was not marked done, and its run is in flight with a lease nobody renews.
        await using var survivor = Host(dies: false);
        using var _ = survivor.CreateClient();
        await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM flows.instance WHERE status = 'Finished'", polls: 200);
        await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM integration.inbox WHERE status = 'done'", polls: 200);

        Assert.Single(erp.LogEntries);
        Assert.Equal(1L, await HostStopsHere.ScalarAsync<long>(database, "SELECT count(*) FROM flows.instance"));
        await using var connection = await database.OpenAsync();
        var (output, seen, steps, owner) = await Dapper.SqlMapper.QuerySingleAsync<(string, string, string, string?)>(connection,
            "SELECT output->>'invoice', output->>'seen', (SELECT string_agg(e->>'activityId', ',') FROM json_array_elements(journal) e), lease_owner FROM flows.instance");
        Assert.Equal("SINV-0001", output);
        // What the HTTP call produced before the host died is still there for the activities after it.
        Assert.Equal("201 SINV-0001 3000", seen);
        Assert.Equal("received,post,slow,done,seen", steps);
        Assert.Null(owner);
    }
}
