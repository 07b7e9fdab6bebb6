using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Integration.Designer.Tests;

/// <summary><c>/designer</c> and <c>/elsa/api</c> through HTTP: access, files, descriptors, saving and publishing.</summary>
public sealed class DesignerApiTests(DesignerHost host) : IClassFixture<DesignerHost>
{
    [Fact]
    public async Task Every_activity_type_of_the_shipped_flows_has_a_descriptor_with_ports_and_inputs()
    {
        var descriptors = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/activities"))!["items"]!.AsArray()
            .ToDictionary(d => d!["typeName"]!.GetValue<string>(), d => d!.AsObject());

        var used = DesignerHost.ShippedFlows().SelectMany(f => f.Types).Distinct().ToList();
        Assert.Contains("Elsa.Flowchart", used);
        Assert.All(used, type => Assert.True(descriptors.ContainsKey(type), $"no descriptor for {type}"));
        var decision = descriptors["Elsa.FlowDecision"];
        Assert.Equal(["True", "False"], decision["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("Condition", decision["inputs"]![0]!["name"]!.GetValue<string>());
        Assert.True(decision["inputs"]![0]!["isWrapped"]!.GetValue<bool>());
        Assert.Equal("Trigger", descriptors["Elsa.Cron"]["kind"]!.GetValue<string>());
        Assert.Equal("dynamic-outcomes", descriptors["Elsa.FlowFork"]["inputs"]![0]!["uiHint"]!.GetValue<string>());
        Assert.Contains(descriptors.Keys, type => type.StartsWith("Shopify.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inputs_whose_values_the_host_knows_are_dropdowns_of_those_values()
    {
        var descriptors = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/activities"))!["items"]!.AsArray()
            .ToDictionary(d => d!["typeName"]!.GetValue<string>(), d => d!.AsObject());

        Assert.Contains("shopify-order__erp-sales-order", DropdownValues(descriptors["Mappings.Apply"], "Mapping"));
        Assert.Contains("http-hello-world", DropdownValues(descriptors["Elsa.ExecuteWorkflow"], "WorkflowDefinitionId"));
        Assert.Contains("http-hello-world", DropdownValues(descriptors["Elsa.DispatchWorkflow"], "WorkflowDefinitionId"));
        Assert.Contains("erp.item.changed", DropdownValues(descriptors["Elsa.Event"], "EventName"));
        // An optional store input may stay empty (the only store); the configured store is offered by its name.
        var storeInput = descriptors.Values.First(d => d["typeName"]!.GetValue<string>().StartsWith("Shopify.", StringComparison.Ordinal)
            && d["inputs"]!.AsArray().Any(i => i!["name"]!.GetValue<string>() == "Store" && !i["description"]!.GetValue<string>().StartsWith("Required", StringComparison.Ordinal)));
        Assert.Equal(["", "designer-eg"], DropdownValues(storeInput, "Store"));
        Assert.Equal("singleline", descriptors["Elsa.PublishEvent"]["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "CorrelationId")!["uiHint"]!.GetValue<string>());

        // Studio's refresh asks the options endpoint, which answers the same specifications from the host's values now.
        var options = await host.Api.PostAsJsonAsync($"/elsa/api/descriptors/activities/{storeInput["typeName"]}/options/Store", new JsonObject { ["context"] = new JsonObject() });
        var items = JsonNode.Parse(await options.Content.ReadAsStringAsync())!["items"]!;
        Assert.Equal(["", "designer-eg"], items["dropdown"]!["selectList"]!["items"]!.AsArray().Select(i => i!["value"]!.GetValue<string>()));
        Assert.Equal("designer-eg (designer-eg.myshopify.com)", items["dropdown"]!["selectList"]!["items"]![1]!["text"]!.GetValue<string>());
        var flows = JsonNode.Parse(await (await host.Api.PostAsJsonAsync("/elsa/api/descriptors/activities/Elsa.ExecuteWorkflow/options/WorkflowDefinitionId", new JsonObject())).Content.ReadAsStringAsync())!;
        Assert.Contains("HTTP hello world (http-hello-world)", flows["items"]!["dropdown"]!["selectList"]!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.PostAsJsonAsync("/elsa/api/descriptors/activities/Elsa.Event/options/NoSuchInput", new JsonObject())).StatusCode);
    }

    [Fact]
    public async Task The_commit_strategies_the_runner_knows_are_offered_for_flows_and_activities()
    {
        var flows = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/commit-strategies/workflows"))!["items"]!.AsArray();
        var activities = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/commit-strategies/activities"))!["items"]!.AsArray();

        Assert.Equal(["WorkflowExecuted", "ActivityExecuting", "ActivityExecuted"], flows.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(["Always", "Executing", "Executed", "Never"], activities.Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(flows.Concat(activities), s => Assert.False(string.IsNullOrEmpty(s!["description"]!.GetValue<string>())));
    }

    [Fact]
    public async Task The_log_persistence_strategies_the_runner_honours_are_offered_by_their_Elsa_type_names()
    {
        var strategies = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/log-persistence-strategies"))!["items"]!.AsArray();

        Assert.Equal(["Configuration", "Exclude", "Include", "Inherit"], strategies.Select(s => s!["displayName"]!.GetValue<string>()));
        Assert.All(strategies, s => Assert.Equal(
            $"Elsa.Workflows.LogPersistence.Strategies.{s!["displayName"]!.GetValue<string>()}, Elsa.Workflows.Core", s["typeName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_variable_storage_drivers_are_offered_as_Elsa_names_them_the_one_kept_with_the_run_first()
    {
        var drivers = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/descriptors/storage-drivers"))!["items"]!.AsArray();

        Assert.Equal(
            ["Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core", "Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core", "Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core"],
            drivers.Select(d => d!["typeName"]!.GetValue<string>()));
        Assert.Equal([false, false, true], drivers.Select(d => d!["deprecated"]!.GetValue<bool>()));
    }

    private static List<string> DropdownValues(JsonObject descriptor, string input)
    {
        var found = descriptor["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == input)!;
        Assert.Equal("dropdown", found["uiHint"]!.GetValue<string>());
        return [.. found["uiSpecifications"]!["dropdown"]!["selectList"]!["items"]!.AsArray().Select(i => i!["value"]!.GetValue<string>())];
    }

    [Fact]
    public async Task The_api_and_the_designer_need_an_operator_key()
    {
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/elsa/api/workflow-definitions");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", "not-the-key");
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/elsa/api/workflow-definitions");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DesignerHost.Key);
        using var anonymousPage = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/elsa/api/workflow-definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/elsa/api/anything/else")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/designer/_framework/blazor.webassembly.js")).StatusCode);
        var page = await anonymousPage.GetAsync("/designer/flows/hello-world");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/designer/login", page.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var refused = await anonymousPage.PostAsync("/designer/login", new FormUrlEncodedContent([new("key", "not-the-key")]));
        var signedIn = await anonymousPage.PostAsync("/designer/login", new FormUrlEncodedContent([new("key", DesignerHost.Key)]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DesignerHost.Key, cookie, StringComparison.Ordinal);
        using var withSession = new HttpRequestMessage(HttpMethod.Get, "/designer/flows/hello-world");
        withSession.Headers.Add("Cookie", cookie.Split(';')[0]);
        var opened = await anonymousPage.SendAsync(withSession);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("elsa", await opened.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // The session opens the pages, not the API: Studio's calls carry the key.
        using var apiWithSession = new HttpRequestMessage(HttpMethod.Get, "/elsa/api/workflow-definitions");
        apiWithSession.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousPage.SendAsync(apiWithSession)).StatusCode);
    }

    [Fact]
    public async Task With_no_key_configured_the_designer_is_closed()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("designerclosed");
        await using var closed = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", database.Url);
            builder.UseSetting("Flows:Directory", host.Flows);
            builder.UseSetting("Flows:Watch", "false");
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Operators:ApiKeys:0", "");
        });
        using var client = closed.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", TestHostFactory.AdminKey);

        var response = await client.GetAsync("/elsa/api/workflow-definitions");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("operator-unauthorized", problem["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/designer/login", new FormUrlEncodedContent([new("key", "")]))).StatusCode);
    }

    [Fact]
    public async Task Studio_files_are_served_with_their_types_and_precompressed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/designer/_framework/blazor.webassembly.js");
        request.Headers.AcceptEncoding.ParseAdd("br");
        var script = await host.Api.SendAsync(request);
        var wasm = Directory.GetFiles(Path.Combine(RepoPaths.Root, ".data/designer/node_modules/@elsa-workflows/elsa-studio-wasm/_framework"), "*.wasm").First();
        var plain = await host.Api.GetAsync("/designer/_framework/" + Path.GetFileName(wasm));
        var icu = Directory.GetFiles(Path.GetDirectoryName(wasm)!, "*.dat").First();

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["br"], script.Content.Headers.ContentEncoding);
        Assert.Equal(new FileInfo(Path.Combine(Path.GetDirectoryName(wasm)!, "blazor.webassembly.js.br")).Length, (await script.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("application/wasm", plain.Content.Headers.ContentType!.MediaType);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(new FileInfo(wasm).Length, (await plain.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("application/octet-stream", (await host.Api.GetAsync("/designer/_framework/" + Path.GetFileName(icu))).Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.GetAsync("/designer/_framework/..%2F..%2F..%2F..%2F..%2FIntegration.sln")).StatusCode);
        var page = await host.Api.GetStringAsync("/designer");
        Assert.DoesNotContain("googleapis", page, StringComparison.Ordinal); // works offline
    }

    [Fact]
    public async Task A_definition_that_does_not_validate_is_refused_with_the_loaders_problems_and_the_file_is_left_alone()
    {
        var file = Path.Combine(host.Flows, "hello-world.json");
        var before = await File.ReadAllTextAsync(file);
        var model = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions/by-definition-id/hello-world?versionOptions=Latest"))!.AsObject();
        model["root"]!["activities"]![0]!["type"] = "Elsa.Nope";

        var response = await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = true });
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType); // what Studio reads as validation errors
        var messages = problem["errors"]!.AsObject().SelectMany(e => e.Value!.AsArray().Select(m => m!.GetValue<string>())).ToList();
        Assert.Contains(messages, m => m.Contains("$.root.activities[0].type", StringComparison.Ordinal) && m.Contains("unknown activity type 'Elsa.Nope'", StringComparison.Ordinal));
        Assert.Equal(before, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_draft_is_the_latest_version_until_published_and_publishing_writes_the_file_the_host_runs()
    {
        var model = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions/by-definition-id/order-routing?versionOptions=Latest"))!.AsObject();
        Assert.Contains(model["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "publish"); // editable in Studio
        var published = model["version"]!.GetValue<int>();
        model["description"] = "Edited as a draft";

        var saved = JsonNode.Parse(await (await host.Api.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model.DeepClone(), ["publish"] = false }))
            .Content.ReadAsStringAsync())!["workflowDefinition"]!;
        var inService = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions/by-definition-id/order-routing?versionOptions=Published"))!;
        Assert.Equal(published + 1, saved["version"]!.GetValue<int>());
        Assert.False(saved["isPublished"]!.GetValue<bool>());
        Assert.NotEqual("Edited as a draft", inService["description"]?.GetValue<string>());
        Assert.DoesNotContain("Edited as a draft", await File.ReadAllTextAsync(Path.Combine(host.Flows, "order-routing.json")), StringComparison.Ordinal);

        var publish = await host.Api.PostAsync("/elsa/api/workflow-definitions/order-routing/publish", null);
        var result = JsonNode.Parse(await publish.Content.ReadAsStringAsync())!;
        var text = await File.ReadAllTextAsync(Path.Combine(host.Flows, "order-routing.json"));
        var list = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions?versionOptions=Latest&definitionIds=order-routing"))!;

        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.True(result["workflowDefinition"]!["isPublished"]!.GetValue<bool>());
        Assert.Contains("\"description\": \"Edited as a draft\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nodeId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"links\"", text, StringComparison.Ordinal);
        Assert.Equal(published + 1, list["items"]![0]!["version"]!.GetValue<int>());
        Assert.True(list["items"]![0]!["isPublished"]!.GetValue<bool>());
        Assert.Contains(list["links"]!.AsArray(), l => l!["rel"]!.GetValue<string>() == "bulk-publish");
    }

    [Fact]
    public async Task A_flow_file_changed_on_disk_shows_up_in_the_designer()
    {
        var file = Path.Combine(host.Flows, "implicit-loop.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        json["name"] = "Changed on disk";
        await File.WriteAllTextAsync(file, json.ToJsonString());

        string? name = null;
        for (var attempt = 0; attempt < 300 && name != "Changed on disk"; attempt++)
        {
            await Task.Delay(100);
            name = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions/by-definition-id/implicit-loop?versionOptions=Latest"))!["name"]!.GetValue<string>();
        }

        Assert.Equal("Changed on disk", name);
    }
}
