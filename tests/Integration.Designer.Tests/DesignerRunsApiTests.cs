using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Integration.Designer.Tests;

/// <summary>
/// <c>/elsa/api</c> for Studio's run views, Run button and a definition's lifecycle, through HTTP against the real host:
/// runs started through the public surface, execute and dispatch, export, import, revert, delete, stale drafts.
/// </summary>
public sealed class DesignerRunsApiTests(DesignerHost host) : IClassFixture<DesignerHost>
{
    [Fact]
    public async Task A_run_started_over_http_is_listed_and_shows_its_journal_state_and_variables()
    {
        var started = await host.Anonymous.GetAsync("/workflows/hello-world");
        Assert.Equal("Hello world!", await started.Content.ReadAsStringAsync());
        var id = Guid.Parse(started.Headers.GetValues("X-Workflow-Instance-Id").Single()).ToString();

        var list = await PostJsonAsync("/elsa/api/workflow-instances", new JsonObject { ["definitionIds"] = new JsonArray("http-hello-world"), ["pageSize"] = 10 });
        var row = Assert.Single(list["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("Finished", row["status"]!.GetValue<string>());
        Assert.Equal("Finished", row["subStatus"]!.GetValue<string>());
        Assert.Equal("http-hello-world~1", row["definitionVersionId"]!.GetValue<string>());
        var running = await PostJsonAsync("/elsa/api/workflow-instances", new JsonObject { ["definitionIds"] = new JsonArray("http-hello-world"), ["statuses"] = new JsonArray("Running") });
        Assert.DoesNotContain(running["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == id);

        var instance = await GetJsonAsync($"/elsa/api/workflow-instances/{id}");
        Assert.Equal("Finished", instance["workflowState"]!["status"]!.GetValue<string>());
        Assert.Equal("http-hello-world", instance["workflowState"]!["definitionId"]!.GetValue<string>());
        var state = await GetJsonAsync($"/elsa/api/workflow-instances/{id}/execution-state");
        Assert.Equal("Finished", state["workflowSubStatus"]!.GetValue<string>());

        // The journal is filtered as Studio filters it: by the node ids of the drawing's top-level activities.
        var definition = await GetJsonAsync("/elsa/api/workflow-definitions/by-id/http-hello-world~1");
        var nodeIds = new JsonArray([.. definition["root"]!["activities"]!.AsArray().Select(a => (JsonNode?)a!["nodeId"]!.GetValue<string>())]);
        var journal = await PostJsonAsync($"/elsa/api/workflow-instances/{id}/journal?skip=0&take=50",
            new JsonObject { ["filter"] = new JsonObject { ["activityNodeIds"] = nodeIds, ["excludedActivityTypes"] = new JsonArray("Elsa.Flowchart") } });
        var records = journal["items"]!.AsArray();
        Assert.Equal(["endpoint:Started", "endpoint:Completed", "respond:Started", "respond:Completed"],
            records.Select(r => $"{r!["activityId"]}:{r["eventName"]}"));
        Assert.Equal(4, journal["totalCount"]!.GetValue<int>());
        var respondNode = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "respond")!["nodeId"]!.GetValue<string>();
        Assert.Equal(respondNode, records[3]!["nodeId"]!.GetValue<string>());

        var executions = await GetJsonAsync($"/elsa/api/activity-execution-summaries/list?workflowInstanceId={id}&activityNodeId={Uri.EscapeDataString(respondNode)}");
        var execution = await GetJsonAsync($"/elsa/api/activity-executions/by-id?id={Uri.EscapeDataString(executions["items"]![0]!["id"]!.GetValue<string>())}");
        Assert.Equal("Completed", execution["status"]!.GetValue<string>());
        Assert.Equal("Hello world!", execution["activityState"]!["content"]!.ToString());
        var report = await PostJsonAsync("/elsa/api/activity-executions/report", new JsonObject { ["workflowInstanceId"] = id, ["activityNodeIds"] = new JsonArray(respondNode) });
        Assert.Equal(1, Assert.Single(report["stats"]!.AsArray())!["completedCount"]!.GetValue<int>());

        // A finished run can be deleted; it is gone from the list.
        Assert.Equal(HttpStatusCode.Conflict, (await host.Api.PostAsync($"/elsa/api/cancel/workflow-instances/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Api.DeleteAsync($"/elsa/api/workflow-instances/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.GetAsync($"/elsa/api/workflow-instances/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_run_exports_as_json_with_its_state_journal_and_variables_and_several_as_a_zip()
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var started = await host.Anonymous.GetAsync("/workflows/hello-world");
            ids.Add(Guid.Parse(started.Headers.GetValues("X-Workflow-Instance-Id").Single()).ToString());
        }

        var export = await host.Api.GetAsync($"/elsa/api/workflow-instances/{ids[0]}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal($"workflow-instance-{ids[0]}.json", export.Content.Headers.ContentDisposition!.FileName);
        var run = JsonNode.Parse(await export.Content.ReadAsStringAsync())!;
        Assert.Equal(ids[0], run["workflowState"]!["id"]!.GetValue<string>());
        Assert.Equal("Finished", run["workflowState"]!["status"]!.GetValue<string>());
        Assert.Equal(["endpoint:Started", "endpoint:Completed", "respond:Started", "respond:Completed"],
            run["workflowExecutionLogRecords"]!.AsArray().Where(r => r!["activityType"]!.GetValue<string>() != "Elsa.Flowchart").Select(r => $"{r!["activityId"]}:{r["eventName"]}"));
        Assert.Contains(run["activityExecutionRecords"]!.AsArray(), r => r!["activityId"]!.GetValue<string>() == "respond" && r["status"]!.GetValue<string>() == "Completed");
        Assert.IsType<JsonArray>(run["variables"]);

        var bulk = await host.Api.PostAsJsonAsync("/elsa/api/bulk-actions/export/workflow-instances", new JsonObject { ["ids"] = new JsonArray(ids[0], ids[1]) });
        Assert.Equal("application/zip", bulk.Content.Headers.ContentType!.MediaType);
        using var zip = new System.IO.Compression.ZipArchive(await bulk.Content.ReadAsStreamAsync());
        Assert.Equal(ids.Select(id => $"workflow-instance-{id}.json").Order(), zip.Entries.Select(e => e.FullName).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.GetAsync($"/elsa/api/workflow-instances/{Guid.NewGuid()}/export")).StatusCode);

        // A zip is built in memory: at most 500 runs a request.
        var tooMany = await host.Api.PostAsJsonAsync("/elsa/api/bulk-actions/export/workflow-instances",
            new JsonObject { ["ids"] = new JsonArray([.. Enumerable.Range(0, 501).Select(_ => (JsonNode?)Guid.NewGuid().ToString())]) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("export-too-large", JsonNode.Parse(await tooMany.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runs_are_paged_newest_first()
    {
        for (var i = 0; i < 3; i++)
        {
            await host.Anonymous.GetStringAsync("/workflows/hello-world");
        }

        var first = await PostJsonAsync("/elsa/api/workflow-instances", new JsonObject { ["definitionId"] = "http-hello-world", ["page"] = 0, ["pageSize"] = 2 });
        var second = await PostJsonAsync("/elsa/api/workflow-instances", new JsonObject { ["definitionId"] = "http-hello-world", ["page"] = 1, ["pageSize"] = 2 });
        var total = first["totalCount"]!.GetValue<int>();
        Assert.True(total >= 3);
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Equal(Math.Min(2, total - 2), second["items"]!.AsArray().Count);
        var times = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(r => r!["createdAt"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task Execute_runs_the_version_in_service_with_its_input_and_a_draft_never_runs()
    {
        var response = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/hello-world/execute", new JsonObject { ["input"] = new JsonObject { ["name"] = "Studio" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("false", response.Headers.GetValues("x-elsa-workflow-cannot-start").Single());
        var id = response.Headers.GetValues("x-elsa-workflow-instance-id").Single();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Finished", body["workflowState"]!["subStatus"]!.GetValue<string>());
        Assert.Equal("Hello, Studio!", body["workflowState"]!["output"]!["greeting"]!.ToString());
        var variables = await GetJsonAsync($"/elsa/api/workflow-instances/{id}/variables");
        Assert.Equal("Hello", variables["items"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "Greeting")!["value"]!.ToString());

        // Nor begun at an activity that is no trigger (it would skip what comes before it).
        var midway = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/hello-world/execute", new JsonObject { ["triggerActivityId"] = "setOutput1" });
        Assert.Equal(HttpStatusCode.BadRequest, midway.StatusCode);
        Assert.Equal("not-a-trigger", JsonNode.Parse(await midway.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());

        // With a draft, Studio's Run (versionOptions Latest) is refused: publish first.
        var model = await GetJsonAsync("/elsa/api/workflow-definitions/by-definition-id/hello-world?versionOptions=Latest");
        model["description"] = "a draft";
        (await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = false })).EnsureSuccessStatusCode();
        var refused = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/hello-world/execute", new JsonObject { ["versionOptions"] = "Latest" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("draft-not-runnable", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/no-such-flow/execute", new JsonObject())).StatusCode);
    }

    [Fact]
    public async Task Dispatch_stores_a_run_that_the_host_runs_on_its_own()
    {
        var dispatched = await PostJsonAsync("/elsa/api/workflow-definitions/hello-world/dispatch",
            new JsonObject { ["versionOptions"] = "Published", ["input"] = new JsonObject { ["name"] = "dispatch" } });
        var id = dispatched["workflowInstanceId"]!.GetValue<string>();

        string? status = null;
        for (var attempt = 0; attempt < 600 && status != "Finished"; attempt++)
        {
            await Task.Delay(100);
            status = (await GetJsonAsync($"/elsa/api/workflow-instances/{id}/execution-state"))["workflowSubStatus"]!.GetValue<string>();
        }

        Assert.Equal("Finished", status);
        var instance = await GetJsonAsync($"/elsa/api/workflow-instances/{id}");
        Assert.Equal("Hello, dispatch!", instance["workflowState"]!["output"]!["greeting"]!.ToString());
        var journal = await GetJsonAsync($"/elsa/api/workflow-instances/{id}/journal");
        Assert.Contains(journal["items"]!.AsArray(), r => r!["activityId"]!.GetValue<string>() == "setOutput1" && r["eventName"]!.GetValue<string>() == "Completed");
    }

    [Fact]
    public async Task Export_gives_the_file_and_an_import_is_checked_like_a_flow_file()
    {
        var export = await host.Api.GetAsync("/elsa/api/workflow-definitions/order-lookup/export?versionOptions=Published");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(host.Flows, "order-lookup.json")), await export.Content.ReadAsStringAsync());
        Assert.Equal("order-lookup.json", export.Content.Headers.ContentDisposition!.FileName);

        var bad = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.Flows, "hello-world.json")))!.AsObject();
        bad["definitionId"] = "imported-bad";
        bad["root"]!["activities"]![0]!["type"] = "Elsa.NoSuchActivity";
        var refused = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/import", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Elsa.NoSuchActivity", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.GetAsync("/elsa/api/workflow-definitions/by-definition-id/imported-bad")).StatusCode);

        var good = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.Flows, "hello-world.json")))!.AsObject();
        good["definitionId"] = "imported-good";
        var imported = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/import", good);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.False(JsonNode.Parse(await imported.Content.ReadAsStringAsync())!["isPublished"]!.GetValue<bool>()); // a draft, as Elsa imports
        Assert.False(File.Exists(Path.Combine(host.Flows, "imported-good.json")));

        // A draft-only flow can be deleted; a flow with a file cannot, and says why.
        Assert.Equal(HttpStatusCode.NoContent, (await host.Api.DeleteAsync("/elsa/api/workflow-definitions/imported-good")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.GetAsync("/elsa/api/workflow-definitions/by-definition-id/imported-good")).StatusCode);
        var kept = await host.Api.DeleteAsync("/elsa/api/workflow-definitions/order-lookup");
        Assert.Equal(HttpStatusCode.Conflict, kept.StatusCode);
        Assert.Equal("flow-file-not-deleted", JsonNode.Parse(await kept.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(host.Flows, "order-lookup.json")));
    }

    [Fact]
    public async Task Retract_keeps_the_file_but_takes_the_flow_out_of_service_until_it_is_published_again()
    {
        var file = Path.Combine(host.Flows, "retract-probe.json");
        var flow = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.Flows, "http-hello-world.json")))!.AsObject();
        flow.Remove("id");
        flow["definitionId"] = "retract-probe";
        flow["name"] = "Retract probe";
        flow["root"]!["activities"]![0]!["path"]!["expression"]!["value"] = "retract-probe";
        var original = flow.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        await File.WriteAllTextAsync(file, original);
        // A new file: the folder watcher publishes it a moment later.
        for (var i = 0; i < 300 && (await host.Api.GetAsync("/elsa/api/workflow-definitions/by-definition-id/retract-probe")).StatusCode == HttpStatusCode.NotFound; i++)
        {
            await Task.Delay(100);
        }

        var v1 = await WaitForAsync("retract-probe", "Retract probe");
        Assert.Equal("Hello world!", await host.Anonymous.GetStringAsync("/workflows/retract-probe"));

        var retract = await host.Api.PostAsync("/elsa/api/workflow-definitions/retract-probe/retract", null);
        var retracted = JsonNode.Parse(await retract.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, retract.StatusCode);
        Assert.False(retracted["isPublished"]!.GetValue<bool>());
        Assert.True(retracted["isLatest"]!.GetValue<bool>());
        Assert.Contains(retracted["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish"); // still editable in Studio
        var written = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        Assert.False(written["isPublished"]!.GetValue<bool>());
        Assert.Equal(["definitionId", "name", "version", "isPublished"], written.Select(p => p.Key).Take(4)); // after the flow's identity, as Elsa writes it

        // Loaded and shown, but nothing starts it.
        var http = await host.Anonymous.GetAsync("/workflows/retract-probe");
        Assert.Equal(HttpStatusCode.NotFound, http.StatusCode);
        Assert.Contains("retract-probe would, but is retracted", await http.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var execute = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/retract-probe/execute", new JsonObject());
        Assert.Equal(HttpStatusCode.Conflict, execute.StatusCode);
        Assert.Equal("flow-retracted", JsonNode.Parse(await execute.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        var dispatch = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions/retract-probe/dispatch", new JsonObject());
        Assert.Equal(HttpStatusCode.Conflict, dispatch.StatusCode);
        var published = await GetJsonAsync("/elsa/api/workflow-definitions?versionOptions=Published&definitionIds=retract-probe");
        Assert.Empty(published["items"]!.AsArray());
        var latest = await GetJsonAsync("/elsa/api/workflow-definitions?versionOptions=Latest&definitionIds=retract-probe");
        Assert.False(Assert.Single(latest["items"]!.AsArray())!["isPublished"]!.GetValue<bool>());
        var listed = JsonNode.Parse(await host.Api.GetStringAsync("/api/flows"))!.AsArray().Single(f => f!["definitionId"]?.GetValue<string>() == "retract-probe")!;
        Assert.Equal("retracted", listed["status"]!.GetValue<string>());

        // Retracting again is refused as Elsa refuses it: the flow is not published.
        var again = await host.Api.PostAsync("/elsa/api/workflow-definitions/retract-probe/retract", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("flow-not-published", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());

        // Publishing puts it back in service and takes the flag out of the file.
        var publish = await host.Api.PostAsync("/elsa/api/workflow-definitions/retract-probe/publish", null);
        var answer = JsonNode.Parse(await publish.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.True(answer["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        Assert.True(answer["workflowDefinition"]!["version"]!.GetValue<int>() > v1);
        Assert.False(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject().ContainsKey("isPublished"));
        Assert.Equal("Hello world!", await host.Anonymous.GetStringAsync("/workflows/retract-probe"));

        // The bulk action answers as Elsa's does.
        var bulk = await PostJsonAsync("/elsa/api/bulk-actions/retract/workflow-definitions/by-definition-ids",
            new JsonObject { ["definitionIds"] = new JsonArray("retract-probe", "no-such-flow") });
        Assert.Equal(["retract-probe"], bulk["retracted"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(["no-such-flow"], bulk["notFound"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync("/workflows/retract-probe")).StatusCode);
    }

    [Fact]
    public async Task Revert_makes_an_old_version_the_draft_and_a_file_changed_on_disk_makes_a_draft_stale()
    {
        var file = Path.Combine(host.Flows, "shopify-webhook-check.json");
        var original = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var name = original["name"]!.GetValue<string>();
        var changed = original.DeepClone();
        changed["name"] = "Changed on disk";
        await File.WriteAllTextAsync(file, changed.ToJsonString());
        var v2 = await WaitForAsync("shopify-webhook-check", "Changed on disk");

        var reverted = await host.Api.PostAsync($"/elsa/api/workflow-definitions/shopify-webhook-check/revert/{v2 - 1}", null);
        Assert.Equal(HttpStatusCode.Created, reverted.StatusCode);
        var latest = await GetJsonAsync("/elsa/api/workflow-definitions/by-definition-id/shopify-webhook-check?versionOptions=Latest");
        Assert.Equal(name, latest["name"]!.GetValue<string>());
        Assert.False(latest["isPublished"]!.GetValue<bool>());
        Assert.Equal(v2 + 1, latest["version"]!.GetValue<int>());
        Assert.Contains("Changed on disk", await File.ReadAllTextAsync(file), StringComparison.Ordinal); // nothing published yet
        var kept = await host.Api.DeleteAsync($"/elsa/api/workflow-definition-versions/shopify-webhook-check~{v2}");
        Assert.Equal("flow-version-kept", JsonNode.Parse(await kept.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());

        // The file changes on disk again: the draft is stale, the file's version is the latest.
        changed["name"] = "Changed again";
        await File.WriteAllTextAsync(file, changed.ToJsonString());
        var v3 = await WaitForAsync("shopify-webhook-check", "Changed again");
        latest = await GetJsonAsync("/elsa/api/workflow-definitions/by-definition-id/shopify-webhook-check?versionOptions=Latest");
        Assert.True(latest["isPublished"]!.GetValue<bool>());
        Assert.Equal(v3, latest["version"]!.GetValue<int>());
        Assert.Equal("Changed again", latest["name"]!.GetValue<string>());
    }

    private async Task<int> WaitForAsync(string definitionId, string name)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var published = await GetJsonAsync($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}?versionOptions=Published");
            if (published["name"]?.GetValue<string>() == name)
            {
                return published["version"]!.GetValue<int>();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{definitionId} was not published as '{name}'.");
    }

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await host.Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonNode> PostJsonAsync(string path, JsonObject body)
    {
        var response = await host.Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
