using System.Net;
using System.Text;
using System.Text.Json;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class FlowFolderTests
{
    private static string Flow(string text) => $$"""
        { "definitionId": "greeter", "version": 1,
          "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
            "activities": [ { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": "{{text}}" } ], "connections": [] } }
        """;

    [Fact]
    public async Task Flow_files_are_republished_on_change_invalid_ones_keep_the_last_good_version_and_the_api_publishes_through_the_folder()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("flowfolder");
        var flows = Directory.CreateTempSubdirectory("flows-watch-").FullName;
        var file = Path.Combine(flows, "greeter.json");
        await File.WriteAllTextAsync(file, Flow("hello"));
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        Assert.Equal((1, "published"), await GreeterAsync(client));

        await File.WriteAllTextAsync(file, Flow("hello again"));
        Assert.Equal((2, "published"), await WaitForAsync(client, g => g.Version == 2));

        await File.WriteAllTextAsync(file, """{ "definitionId": "greeter", "root": { "id": "root", "type": "Elsa.Flowchart", "activities": [ { "id": "x", "type": "Elsa.Nope" } ] } }""");
        Assert.Equal((2, "refused (previous version in service)"), await WaitForAsync(client, g => g.Status != "published"));

        using var refused = await client.PostAsync("/api/flows", new StringContent(Flow("\" broken"), Encoding.UTF8, "application/json"));
        using var published = await client.PostAsync("/api/flows", new StringContent(Flow("published by the api"), Encoding.UTF8, "application/json"));
        using var check = await client.PostAsync("/api/flows/validate", new StringContent(Flow("ok").Replace("Elsa.WriteLine", "Elsa.Nope", StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(await published.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        Assert.Contains("published by the api", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Equal((3, "published"), await GreeterAsync(client));
        var validation = JsonDocument.Parse(await check.Content.ReadAsStringAsync()).RootElement;
        Assert.False(validation.GetProperty("valid").GetBoolean());
        Assert.Equal("$.root.activities[0].type", validation.GetProperty("problems")[0].GetProperty("jsonPath").GetString());
        var versions = JsonDocument.Parse(await client.GetStringAsync("/api/flows/greeter/versions")).RootElement;
        Assert.Equal([3, 2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_draft_is_saved_with_its_problems_does_not_run_and_is_published_once_it_validates()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("flowdraft");
        var flows = Directory.CreateTempSubdirectory("flows-draft-").FullName;
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        var broken = Flow("draft").Replace("Elsa.WriteLine", "Elsa.Nope", StringComparison.Ordinal);

        using var saved = await client.PutAsync("/api/flows/greeter/draft", new StringContent(broken, Encoding.UTF8, "application/json"));
        var savedBody = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement;
        using var refused = await client.PostAsync("/api/flows/greeter/draft/publish", null);
        using var mismatch = await client.PutAsync("/api/flows/other/draft", new StringContent(broken, Encoding.UTF8, "application/json"));
        using var fixedDraft = await client.PutAsync("/api/flows/greeter/draft", new StringContent(Flow("from a draft"), Encoding.UTF8, "application/json"));
        var draft = await client.GetStringAsync("/api/flows/greeter/draft");
        Assert.Empty(Directory.GetFiles(flows));
        using var published = await client.PostAsync("/api/flows/greeter/draft/publish", null);
        using var gone = await client.GetAsync("/api/flows/greeter/draft");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.False(savedBody.GetProperty("valid").GetBoolean());
        Assert.Equal("$.root.activities[0].type", savedBody.GetProperty("problems")[0].GetProperty("jsonPath").GetString());
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fixedDraft.StatusCode);
        Assert.Contains("from a draft", draft, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Contains("from a draft", await File.ReadAllTextAsync(Path.Combine(flows, "greeter.json")), StringComparison.Ordinal);
        Assert.Equal((1, "published"), await GreeterAsync(client));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<(int Version, string Status)> GreeterAsync(HttpClient client)
    {
        var flows = JsonDocument.Parse(await client.GetStringAsync("/api/flows")).RootElement;
        var greeter = flows.EnumerateArray().Single(f => f.GetProperty("file").GetString()!.EndsWith("greeter.json", StringComparison.Ordinal));
        return (greeter.GetProperty("version").GetInt32(), greeter.GetProperty("status").GetString()!);
    }

    private static async Task<(int Version, string Status)> WaitForAsync(HttpClient client, Func<(int Version, string Status), bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            var greeter = await GreeterAsync(client);
            if (condition(greeter))
            {
                return greeter;
            }

            await Task.Delay(100);
        }

        return await GreeterAsync(client);
    }
}
