using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Integration.Designer.Tests;

/// <summary>
/// The real host on a socket (so a browser can reach it) over a database of its own, serving a copy of the shipped
/// flows (the tests edit them), with one operator key; and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class DesignerHost : IAsyncLifetime
{
    public const string Key = "designer-test-key-0123456789";

    private WebApplicationFactory<Program>? _factory;
    private TestDatabase? _database;
    private IPlaywright? _playwright;

    /// <summary>The copy of <c>flows/</c> the host serves.</summary>
    public string Flows { get; } = Directory.CreateTempSubdirectory("designer-flows-").FullName;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A client that sends the operator key, as Studio does.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>Where screenshots go (kept after the run): <c>artifacts/designer</c> in the repository.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "designer")).FullName;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "flows"), "*.json"))
        {
            File.Copy(file, Path.Combine(Flows, Path.GetFileName(file)));
        }

        _database = await TestPostgres.CreateDatabaseAsync("designer");
        _factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseEnvironment("Testing");
            builder.UseSetting("DATABASE_URL", _database.Url);
            builder.UseSetting("Flows:Directory", Flows);
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Operators:ApiKeys:0", Key);
            // A store for the designer to offer in the store inputs of Shopify activities.
            builder.UseSetting("Connectors:Shopify:Stores:0:Name", "designer-eg");
            builder.UseSetting("Connectors:Shopify:Stores:0:ShopDomain", "designer-eg.myshopify.com");
            builder.UseSetting("Connectors:Shopify:Stores:0:AppSecret", "designer-test-secret");
            // A free port of its own: test classes start their hosts at the same time.
            builder.UseUrls("http://127.0.0.1:0");
        });
        _factory.UseKestrel();
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        Anonymous = new HttpClient { BaseAddress = BaseAddress };
        Api = new HttpClient { BaseAddress = BaseAddress };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", Key);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>The definition ids and activity types of the shipped flows.</summary>
    public static IReadOnlyList<(string DefinitionId, IReadOnlyList<string> Types)> ShippedFlows() =>
        [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "flows"), "*.json").Order(StringComparer.Ordinal).Select(file =>
        {
            var json = JsonNode.Parse(File.ReadAllText(file).TrimStart('\uFEFF'))!;
            return (json["definitionId"]!.GetValue<string>(), (IReadOnlyList<string>)[.. Types(json["root"]).Distinct()]);
        })];

    private static IEnumerable<string> Types(JsonNode? node) => node switch
    {
        JsonObject o => (o["type"] is JsonValue type && o["id"] is not null && type.TryGetValue<string>(out var name) ? [name] : Array.Empty<string>())
            .Concat(o.Where(p => p.Key != "expression").SelectMany(p => Types(p.Value))),
        JsonArray a => a.SelectMany(Types),
        _ => [],
    };

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        Api?.Dispose();
        Anonymous?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(Flows, recursive: true);
    }
}
