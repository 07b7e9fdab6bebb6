using System.Text.Json.Nodes;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;

namespace Integration.Host.Flows;

/// <summary>
/// <c>POST /api/flows</c>: publishes a definition sent by a designer. The file in <c>flows/</c> stays the source of
/// truth: a valid definition is written to its file (the one already holding that definition id, else
/// <c>{definitionId}.json</c>) and published from there, so what runs is always what the folder holds. Drafts are
/// kept in the database until published.
/// </summary>
internal static class FlowPublishingApi
{
    public static IEndpointRouteBuilder MapFlowPublishing(this IEndpointRouteBuilder routes)
    {
        // Changing what runs (publishing, drafts) needs the admin scope.
        var app = routes.MapGroup("").RequireAuthorization(Security.OperatorScopes.Admin);
        app.MapPost("/api/flows", async (HttpRequest request, FlowLoader loader, FlowCatalog catalog, FlowsDirectory folder, IConfiguration configuration,
                IHostEnvironment environment, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                return await PublishAsync(await reader.ReadToEndAsync(ct), loader, catalog, folder, configuration, environment, ct);
            })
            .WithTags("Flows").WithName("PublishFlow").WithSummary("Validates a definition (Elsa 3 JSON), writes it to its file in flows/ and publishes it as a new version.");

        app.MapPut("/api/flows/{definitionId}/draft", async (string definitionId, HttpRequest request, FlowDrafts drafts, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var text = await reader.ReadToEndAsync(ct);
                if (DefinitionIdOf(text) != definitionId)
                {
                    return Results.Problem(statusCode: 400, type: "draft-mismatch", title: $"The body is not a definition of {definitionId}.");
                }

                var problems = await drafts.SaveAsync(definitionId, text, ct);
                return Results.Ok(new { definitionId, valid = problems.Count == 0, problems = problems.Select(p => new { p.JsonPath, p.Message }) });
            })
            .WithTags("Flows").WithName("SaveFlowDraft").WithSummary("Saves a draft of a flow (it need not validate yet); it does not run until published.");

        app.MapGet("/api/flows/{definitionId}/draft", async (string definitionId, FlowDrafts drafts, CancellationToken ct) =>
                await drafts.GetAsync(definitionId, ct) is { } json
                    ? Results.Text(json, "application/json")
                    : Results.Problem(statusCode: 404, type: "unknown-draft", title: $"No draft of {definitionId}."))
            .WithTags("Flows").WithName("GetFlowDraft").WithSummary("The saved draft of a flow.");

        app.MapPost("/api/flows/{definitionId}/draft/publish", async (string definitionId, FlowDrafts drafts, FlowLoader loader, FlowCatalog catalog, FlowsDirectory folder,
                IConfiguration configuration, IHostEnvironment environment, CancellationToken ct) =>
            {
                if (await drafts.GetAsync(definitionId, ct) is not { } json)
                {
                    return Results.Problem(statusCode: 404, type: "unknown-draft", title: $"No draft of {definitionId}.");
                }

                var result = await PublishAsync(json, loader, catalog, folder, configuration, environment, ct);
                if (result is IStatusCodeHttpResult { StatusCode: 200 })
                {
                    await drafts.DeleteAsync(definitionId, ct);
                }

                return result;
            })
            .WithTags("Flows").WithName("PublishFlowDraft").WithSummary("Publishes the draft (when it validates) and discards it.");

        app.MapDelete("/api/flows/{definitionId}/draft", async (string definitionId, FlowDrafts drafts, CancellationToken ct) =>
                await drafts.DeleteAsync(definitionId, ct) ? Results.NoContent() : Results.Problem(statusCode: 404, type: "unknown-draft", title: $"No draft of {definitionId}."))
            .WithTags("Flows").WithName("DiscardFlowDraft").WithSummary("Discards the draft of a flow.");
        return routes;
    }

    private static async Task<IResult> PublishAsync(string text, FlowLoader loader, FlowCatalog catalog, FlowsDirectory folder, IConfiguration configuration,
        IHostEnvironment environment, CancellationToken ct)
    {
        var result = loader.Load(text, "request");
        if (!result.IsValid)
        {
            return Results.Problem(statusCode: 422, type: "invalid-flow", title: "The flow does not validate.",
                extensions: new Dictionary<string, object?> { ["problems"] = result.Problems.Select(p => new { p.JsonPath, p.Message }) });
        }

        var definitionId = result.Definition!.DefinitionId;
        var file = folder.FileFor(definitionId);
        await folder.WriteAndPublishAsync(file, FlowFileFormat.Write(JsonNode.Parse(text.TrimStart('\uFEFF'))), ct);
        var published = catalog.Flows.First(f => f.File == file);
        return Results.Ok(new { definitionId, version = published.PublishedVersion, file = Path.GetRelativePath(environment.ContentRootPath, file) });
    }

    private static string? DefinitionIdOf(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["definitionId"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
