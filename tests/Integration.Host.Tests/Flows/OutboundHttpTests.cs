using System.Text.Json;
using Integration.Testing;
using Integration.Workflows.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Host.Tests.Flows;

public sealed class OutboundHttpTests
{
    [Fact]
    public async Task A_flow_calling_a_host_not_allowed_faults_with_an_incident_naming_the_host_and_sends_nothing()
    {
        using var target = WireMockServer.Start();
        target.Given(Request.Create().WithPath("/collect")).RespondWith(Response.Create().WithStatusCode(200));
        await using var database = await TestPostgres.CreateDatabaseAsync("outbound");
        await using var host = FlowHost.Create(database, await FlowsCallingAsync(target.Url + "/collect"), builder =>
        {
            builder.UseSetting("Flows:Http:AllowedHosts:0", "erp.example.com");
            builder.UseSetting("Flows:Http:AllowedHosts:1", "*.shopify.example");
        });
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/workflows/call-out");

        Assert.Empty(target.LogEntries);
        var run = await RunAsync(client, response);
        Assert.Equal("Faulted", run.GetProperty("status").GetString());
        var incidents = JsonDocument.Parse(await client.GetStringAsync("/api/incidents")).RootElement;
        var message = Assert.Single(incidents.EnumerateArray()).GetProperty("message").GetString();
        Assert.Contains("A flow may not call localhost: add it to Flows:Http:AllowedHosts", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_host_answering_with_a_redirect_is_not_followed_to_another_host()
    {
        using var elsewhere = WireMockServer.Start();
        elsewhere.Given(Request.Create().WithPath("/stolen")).RespondWith(Response.Create().WithStatusCode(200));
        using var target = WireMockServer.Start();
        target.Given(Request.Create().WithPath("/collect"))
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", elsewhere.Url!.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/stolen"));
        await using var database = await TestPostgres.CreateDatabaseAsync("outboundredirect");
        await using var host = FlowHost.Create(database, await FlowsCallingAsync(target.Url + "/collect"));
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/workflows/call-out");

        Assert.Single(target.LogEntries);
        Assert.Empty(elsewhere.LogEntries);
        var run = await RunAsync(client, response);
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.Equal(302, run.GetProperty("output").GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("api.example.com", "api.example.com", true)]
    [InlineData("API.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "shop.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evil-example.com", false)]
    [InlineData("*", "anything.test", true)]
    [InlineData("api.example.com", "api.example.com.evil.test", false)]
    public void Hosts_are_allowed_by_name_or_sub_domain_pattern(string allowed, string host, bool expected) =>
        Assert.Equal(expected, OutboundHostAllowList.Allows([allowed], host));

    private static async Task<JsonElement> RunAsync(HttpClient client, HttpResponseMessage response)
    {
        var id = Guid.Parse(response.Headers.GetValues("X-Workflow-Instance-Id").Single());
        return JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{id}")).RootElement;
    }

    private static async Task<string> FlowsCallingAsync(string url)
    {
        var flows = Directory.CreateTempSubdirectory("flows-outbound-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "call-out.json"), $$"""
            { "definitionId": "call-out", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1,
                    "path": { "typeName": "String", "expression": { "type": "Literal", "value": "call-out" } },
                    "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"GET\"]" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "call", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "GET", "url": "{{url}}",
                    "expectedStatusCodes": { "typeName": "Int32[]", "expression": { "type": "Object", "value": "[200, 302]" } } },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "status",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('call', 'statusCode')" } } },
                  { "id": "respond", "type": "Elsa.WriteHttpResponse", "version": 1,
                    "statusCode": { "typeName": "HttpStatusCode", "expression": { "type": "Literal", "value": "OK" } },
                    "content": { "typeName": "Object", "expression": { "type": "Literal", "value": "called" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "call", "port": "In" } },
                  { "source": { "activity": "call", "port": "200" }, "target": { "activity": "done", "port": "In" } },
                  { "source": { "activity": "call", "port": "302" }, "target": { "activity": "done", "port": "In" } },
                  { "source": { "activity": "done", "port": "Done" }, "target": { "activity": "respond", "port": "In" } } ] } }
            """);
        return flows;
    }
}
