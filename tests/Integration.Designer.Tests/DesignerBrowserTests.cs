using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Integration.Designer.Tests;

/// <summary>The designer as an engineer uses it: Elsa Studio in Chromium, against the real host.</summary>
public sealed class DesignerBrowserTests(DesignerHost host) : IClassFixture<DesignerHost>
{
    // Studio boots a .NET runtime in the browser; on a loaded 2-core machine that takes a while.
    private const float Patience = 180_000;

    [Fact]
    public async Task An_engineer_edits_and_publishes_a_flow_and_the_host_runs_what_was_drawn()
    {
        var (page, errors) = await OpenAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "designer").ToString());
        await page.WaitForURLAsync("**/designer/login**");
        await SignInAsync(page);

        // The list shows the shipped flows, ten to a page.
        var shipped = DesignerHost.ShippedFlows().Select(f => f.DefinitionId).ToHashSet();
        await page.GetByText($"1-10 of {shipped.Count}").WaitForAsync(new() { Timeout = Patience });
        var listed = await page.Locator("tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(10, listed.Count);
        Assert.All(listed, id => Assert.Contains(id.Trim(), shipped));

        await page.GetByPlaceholder("Search on Id").FillAsync("http-hello");
        await page.Locator("tbody tr", new() { HasText = "http-hello-world" }).ClickAsync(new() { Timeout = Patience });
        await page.WaitForURLAsync("**/designer/flows/http-hello-world", new() { WaitUntil = WaitUntilState.Commit });

        // Its two activities are drawn; the response's content is edited.
        var response = page.Locator(".x6-node", new() { HasText = "HTTP Response" });
        await response.WaitForAsync(new() { Timeout = Patience });
        Assert.Equal(2, await page.Locator(".x6-node").CountAsync());
        Assert.Equal(1, await page.Locator(".x6-node", new() { HasText = "HTTP Endpoint" }).CountAsync());
        await response.ClickAsync();
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('textarea')].some(t => t.value === 'Hello world!')", null, new() { Timeout = Patience });
        await page.EvaluateAsync("() => [...document.querySelectorAll('textarea')].find(t => t.value === 'Hello world!').setAttribute('data-test', 'content')");
        await page.Locator("[data-test=content]").FillAsync("Hello from the designer!");
        await page.Keyboard.PressAsync("Tab");

        await page.Locator(".elsa-toolbar-icon button").ClickAsync();
        await page.GetByText("Workflow saved").First.WaitForAsync(new() { Timeout = Patience });
        await page.ScreenshotAsync(new() { Path = Path.Combine(DesignerHost.Artifacts, "editor.png") });
        var draft = JsonNode.Parse(await host.Api.GetStringAsync("/elsa/api/workflow-definitions/by-definition-id/http-hello-world?versionOptions=Latest"))!;
        Assert.False(draft["isPublished"]!.GetValue<bool>());
        Assert.Equal("Hello world!", await host.Anonymous.GetStringAsync("/workflows/hello-world")); // a draft does not run

        await page.Locator(".mud-button-group-root button").First.ClickAsync();
        await page.GetByText("Workflow published").First.WaitForAsync(new() { Timeout = Patience });

        var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.Flows, "http-hello-world.json")))!;
        var respond = file["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "respond")!;
        Assert.Equal("Hello from the designer!", respond["content"]!["expression"]!["value"]!.GetValue<string>());
        Assert.NotNull(respond["metadata"]?["designer"]?["position"]); // where the engineer saw it
        Assert.Equal("http-hello-world-v1", file["id"]!.GetValue<string>()); // the file keeps its own identity fields
        Assert.Null(respond["nodeId"]);
        var flow = JsonDocument.Parse(await host.Api.GetStringAsync("/api/flows/http-hello-world")).RootElement;
        Assert.Equal(2, flow.GetProperty("version").GetInt32());
        Assert.Equal("Hello from the designer!", await host.Anonymous.GetStringAsync("/workflows/hello-world"));
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join('\n', errors));
    }

    [Fact]
    public async Task Every_shipped_flow_opens_in_the_editor_without_a_console_error()
    {
        var (page, errors) = await OpenAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "designer/login").ToString());
        await SignInAsync(page);
        await page.Locator("tbody tr").First.WaitForAsync(new() { Timeout = Patience });
        foreach (var (definitionId, _) in DesignerHost.ShippedFlows())
        {
            var activities = TopLevelActivities(definitionId);
            await page.GotoAsync(new Uri(host.BaseAddress, "designer/flows/" + Uri.EscapeDataString(definitionId)).ToString());
            await page.WaitForFunctionAsync("n => document.querySelectorAll('.x6-node').length === n", activities, new() { Timeout = Patience, PollingInterval = 250 });
            var texts = await page.Locator(".x6-node").AllTextContentsAsync();
            Assert.All(texts, text => Assert.False(string.IsNullOrWhiteSpace(text), $"{definitionId}: an activity is drawn without a name"));
            Assert.True(errors.Count == 0, $"Browser console errors opening {definitionId}:\n" + string.Join('\n', errors));
        }
    }

    [Fact]
    public async Task An_engineer_finds_a_run_of_a_flow_and_sees_its_journal()
    {
        // A run of a shipped flow, started through the public surface.
        var started = await host.Anonymous.GetAsync("/workflows/hello-world");
        started.EnsureSuccessStatusCode();
        var id = Guid.Parse(started.Headers.GetValues("X-Workflow-Instance-Id").Single()).ToString();

        var (page, errors) = await OpenAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "designer/login").ToString());
        await SignInAsync(page);
        await page.GotoAsync(new Uri(host.BaseAddress, "designer/runs").ToString());
        try
        {
            await page.Locator("tbody tr").First.WaitForAsync(new() { Timeout = Patience });
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(DesignerHost.Artifacts, "runs.png") });
        }

        await page.GotoAsync(new Uri(host.BaseAddress, "designer/runs/" + id).ToString());
        // The run's flow is drawn, and its journal lists what each activity did, by the activity's name.
        await page.Locator(".x6-node", new() { HasText = "HTTP Response" }).WaitForAsync(new() { Timeout = Patience });
        var journal = page.Locator(".mud-timeline");
        await journal.GetByText("WriteHttpResponse1").First.WaitForAsync(new() { Timeout = Patience });
        Assert.True(await journal.GetByText("HttpEndpoint1").CountAsync() > 0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DesignerHost.Artifacts, "run.png") });
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join('\n', errors));
    }

    private int TopLevelActivities(string definitionId)
    {
        var file = Directory.GetFiles(host.Flows, "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f).TrimStart('\uFEFF'))!)
            .Single(j => j["definitionId"]!.GetValue<string>() == definitionId);
        return file["root"]!["activities"]!.AsArray().Count;
    }

    private async Task<(IPage Page, List<string> Errors)> OpenAsync()
    {
        var context = await host.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Patience);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return (page, errors);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.FillAsync("#key", DesignerHost.Key);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
