using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Integration.Host.Tests.Flows;

public sealed class HttpWorkflowTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task The_http_hello_world_flow_answers_and_its_run_is_stored()
    {
        var response = await host.Client.GetAsync("/workflows/hello-world");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello world!", await response.Content.ReadAsStringAsync());
        var instance = response.Headers.GetValues("X-Workflow-Instance-Id").Single();
        var run = await host.GetJsonAsync($"/api/runs/{Guid.Parse(instance)}");
        Assert.Equal("http-hello-world", run.GetProperty("definitionId").GetString());
        Assert.Equal("Finished", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Route_data_and_a_json_body_reach_the_flow()
    {
        var response = await host.Client.PostAsJsonAsync("/workflows/orders/1001/echo", new { items = new[] { 1, 2, 3 } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("1001", body.GetProperty("order").GetString());
        Assert.Equal(3, body.GetProperty("items").GetInt32());
    }

    [Fact]
    public async Task A_public_endpoint_answers_a_body_it_cannot_read_with_400_and_leaves_no_incident()
    {
        var before = await host.CountAsync("SELECT count(*) FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE r.definition_id = 'order-lookup'");

        var empty = await host.Client.PostAsJsonAsync("/workflows/orders/1003/echo", new { });
        var notJson = await host.Client.PostAsync("/workflows/orders/1003/echo", new StringContent("items=1", System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(before, await host.CountAsync("SELECT count(*) FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE r.definition_id = 'order-lookup'"));
    }

    [Fact]
    public async Task A_callers_credentials_are_not_stored_with_the_run_it_started()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/workflows/orders/1002/echo") { Content = JsonContent.Create(new { items = new[] { 1 } }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer partner-shared-secret-123");
        request.Headers.TryAddWithoutValidation("Cookie", "session=abc-cookie-value");
        request.Headers.TryAddWithoutValidation("X-Api-Key", "caller-api-key-value");
        request.Headers.TryAddWithoutValidation("X-Partner-Reference", "ref-77");

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = (await host.GetJsonAsync($"/api/runs/{Guid.Parse(response.Headers.GetValues("X-Workflow-Instance-Id").Single())}")).GetRawText();
        Assert.Contains("ref-77", run, StringComparison.Ordinal);
        Assert.DoesNotContain("partner-shared-secret-123", run, StringComparison.Ordinal);
        Assert.DoesNotContain("abc-cookie-value", run, StringComparison.Ordinal);
        Assert.DoesNotContain("caller-api-key-value", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_or_method_no_flow_answers_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/workflows/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/workflows/orders/1001/echo")).StatusCode);
    }
}
