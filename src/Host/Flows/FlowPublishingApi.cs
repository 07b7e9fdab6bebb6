using System.Text.Json.Nodes;
using Integration.Workflows.Loading;
using Integration.Workflows.Persistence;

namespace Integration.Host.Flows;

/// <summary>
/// <c>POST /api/flows</c>: publishes a definition sent by a designer. The file in <c>flows/</c> stays the source of
/// truth: a valid definition is written to its file (the one already holding that definition id, else
/// <c>{definitionId}.json</c>) and published from there, so what runs is always what the folder holds.
/// </summary>
internal static class FlowPublishingApi
{
    public static IEndpointRouteBuilder MapFlowPublishing(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/flows", async (HttpRequest request, FlowLoader loader, FlowCatalog catalog, FlowsDirectory folder, IConfiguration configuration,
                IHostEnvironment environment, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var text = await reader.ReadToEndAsync(ct);
                var result = loader.Load(text, "request");
                if (!result.IsValid)
                {
                    return Results.Problem(statusCode: 422, type: "invalid-flow", title: "The flow does not validate.",
                        extensions: new Dictionary<string, object?> { ["problems"] = result.Problems.Select(p => new { p.JsonPath, p.Message }) });
                }

                var definitionId = result.Definition!.DefinitionId;
                var file = catalog.Flows.FirstOrDefault(f => f.Definition?.DefinitionId == definitionId)?.File
                    ?? Path.Combine(environment.ContentRootPath, configuration["Flows:Directory"] ?? "flows", SafeName(definitionId) + ".json");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, JsonNode.Parse(text)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), ct);
                await folder.ReloadAsync(startup: false, ct);
                var published = catalog.Flows.First(f => f.File == file);
                return Results.Ok(new { definitionId, version = published.PublishedVersion, file = Path.GetRelativePath(environment.ContentRootPath, file) });
            })
            .WithTags("Flows").WithName("PublishFlow").WithSummary("Validates a definition (Elsa 3 JSON), writes it to its file in flows/ and publishes it as a new version.");
        return app;
    }

    private static string SafeName(string definitionId) =>
        string.Concat(definitionId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
}
