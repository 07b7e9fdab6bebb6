using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Designer.Definitions;
using Integration.Workflows.Loading;
using Integration.Workflows.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// A definition's lifecycle as far as file-based flows allow it: export and import, revert to a version (as a draft),
/// retract (the file stays, marked <c>"isPublished": false</c>, and nothing starts the flow until it is published again),
/// and delete, which only a draft allows: a flow whose file is in <c>flows/</c> is removed in git. What is not
/// supported answers a ProblemDetails that says so.
/// </summary>
internal static class ElsaLifecycleApi
{
    public static void Map(RouteGroupBuilder api)
    {
        // Changing what runs (save, publish, import, revert, delete a definition) needs the admin scope.
        var admin = api.MapGroup("").RequireAuthorization(DesignerRegistration.AdminPolicy);
        api.MapMethods("/workflow-definitions/{definitionId}/export", ["GET", "POST"], async (string definitionId, string? versionOptions, DefinitionExport export, CancellationToken ct) =>
            await export.ExportAsync(definitionId, versionOptions, ct) is { } file
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(file.Text), "application/json", file.FileName)
                : Results.Problem(statusCode: 404, type: "unknown-flow-version", title: $"No flow {definitionId} with version {versionOptions ?? "Latest"}."))
            .RequireAuthorization(DesignerRegistration.ReadPolicy);

        api.MapPost("/bulk-actions/export/workflow-definitions", async (HttpRequest request, DefinitionExport export, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            return await export.ZipAsync(ask.Strings("ids"), ct) is { } zip ? Results.File(zip, "application/zip", "flows.zip") : Results.NoContent();
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);

        foreach (var route in new[] { "/workflow-definitions/import", "/workflow-definitions/{definitionId}/import" })
        {
            admin.MapMethods(route, ["POST", "PUT"], async (HttpRequest request, string? definitionId, DefinitionPublishing publishing, CancellationToken ct) =>
            {
                if (await ReadObjectAsync(request.Body, ct) is not { } model)
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["The body is not a workflow definition (a JSON object)."] }, type: "invalid-flow");
                }

                var outcome = await publishing.ImportAsync(model, definitionId, ct);
                return outcome.Problems.Count > 0
                    ? Invalid(outcome.Problems, "The flow does not validate; nothing was imported.")
                    : Results.Json(outcome.Definition);
            }).DisableAntiforgery();
        }

        // Studio's import dialog uploads files; all must validate, or none is imported.
        admin.MapPost("/workflow-definitions/import-files", async (HttpRequest request, DefinitionPublishing publishing, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["files"] = ["Upload the flow files as multipart/form-data (files)."] }, type: "invalid-flow");
            }

            var form = await request.ReadFormAsync(ct);
            var prepared = new List<(JsonObject Model, string DefinitionId)>();
            var problems = new Dictionary<string, string[]>();
            foreach (var file in form.Files)
            {
                await using var stream = file.OpenReadStream();
                if (await ReadObjectAsync(stream, ct) is not { } model)
                {
                    problems[file.FileName] = ["not a workflow definition (a JSON object)"];
                    continue;
                }

                var (id, _, fileProblems) = await publishing.PrepareAsync(model, null, ct);
                if (fileProblems.Count > 0)
                {
                    problems[file.FileName] = [.. fileProblems.Select(Describe)];
                }
                else
                {
                    prepared.Add((model, id));
                }
            }

            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems, title: "Some files do not validate; nothing was imported.", type: "invalid-flow");
            }

            foreach (var (model, id) in prepared)
            {
                await publishing.ImportAsync(model, id, ct);
            }

            return Results.Json(new JsonObject { ["count"] = prepared.Count });
        }).DisableAntiforgery();

        admin.MapPost("/workflow-definitions/{definitionId}/revert/{version:int}", async (string definitionId, int version, DefinitionPublishing publishing, CancellationToken ct) =>
            await publishing.RevertAsync(definitionId, version, ct) is { } summary
                ? Results.Json(summary, statusCode: 201)
                : Results.Problem(statusCode: 404, type: "unknown-flow-version", title: $"No version {version} of flow {definitionId} to revert to."));

        admin.MapDelete("/workflow-definitions/{definitionId}", async (string definitionId, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct) =>
            await DeleteDefinitionAsync(definitionId, definitions, drafts, ct) is { } refused ? refused : Results.NoContent());

        admin.MapDelete("/workflow-definition-versions/{id}", async (string id, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct) =>
            await DeleteVersionAsync(id, definitions, drafts, ct) is { } refused ? refused : Results.NoContent());

        admin.MapPost("/bulk-actions/delete/workflow-definitions/by-definition-id", async (HttpRequest request, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct) =>
            await BulkAsync(await StudioRequest.ReadAsync(request, ct), "definitionIds", id => DeleteDefinitionAsync(id, definitions, drafts, ct)));

        admin.MapPost("/bulk-actions/delete/workflow-definitions/by-id", async (HttpRequest request, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct) =>
            await BulkAsync(await StudioRequest.ReadAsync(request, ct), "ids", id => DeleteVersionAsync(id, definitions, drafts, ct)));

        // As in Elsa: the retracted definition (isPublished false), or 404, or 400 when it is not published. Admin, as
        // publishing is: taking a flow out of service changes what runs.
        admin.MapPost("/workflow-definitions/{definitionId}/retract", async (string definitionId, DefinitionPublishing publishing, CancellationToken ct) =>
        {
            var outcome = await publishing.RetractAsync(definitionId, ct);
            return outcome.Definition is { } definition ? Results.Json(definition) : Refused(definitionId, outcome.Refusal);
        });

        admin.MapPost("/bulk-actions/retract/workflow-definitions/by-definition-ids", async (HttpRequest request, DefinitionPublishing publishing, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var retracted = new JsonArray();
            var already = new JsonArray();
            var notFound = new JsonArray();
            var skipped = new JsonArray();
            foreach (var id in ask.Strings("definitionIds"))
            {
                var outcome = await publishing.RetractAsync(id, ct);
                (outcome.Refusal switch
                {
                    null => retracted,
                    DefinitionPublishing.RetractRefusal.Unknown => notFound,
                    DefinitionPublishing.RetractRefusal.NotPublished => already,
                    _ => skipped,
                }).Add(id);
            }

            return Results.Json(new JsonObject { ["retracted"] = retracted, ["alreadyRetracted"] = already, ["notFound"] = notFound, ["skipped"] = skipped });
        });
    }

    internal static IResult Invalid(IReadOnlyList<FlowProblem> problems, string title) =>
        // Studio shows each message of a 400 problem+json in its error bar.
        Results.ValidationProblem(problems.GroupBy(p => p.JsonPath).ToDictionary(g => g.Key, g => g.Select(Describe).ToArray()), title: title, type: "invalid-flow");

    internal static string Describe(FlowProblem problem) => $"{problem.JsonPath}: {problem.Message}";

    // 400 validation problems, so Studio shows the reason in its error bar.
    private static IResult Refused(string definitionId, DefinitionPublishing.RetractRefusal? refusal) => refusal switch
    {
        DefinitionPublishing.RetractRefusal.Unknown => Results.Problem(statusCode: 404, type: "unknown-flow", title: $"No flow {definitionId}."),
        DefinitionPublishing.RetractRefusal.NotPublished => Results.ValidationProblem(
            new Dictionary<string, string[]> { ["retract"] = [$"{definitionId} is not published (it is retracted already, or exists only as a draft)."] },
            title: $"{definitionId} is not published.", type: "flow-not-published"),
        _ => Results.Problem(statusCode: 500, type: "flow-not-retracted",
            title: $"{definitionId} was written as retracted but the folder did not load it so (see the host's log)."),
    };

    /// <summary>Deletes a flow that exists only as a draft; a flow with a file is refused (remove the file in git).</summary>
    private static async Task<IResult?> DeleteDefinitionAsync(string definitionId, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct)
    {
        if (await definitions.FindAsync(definitionId, ct) is not { } flow)
        {
            return Results.Problem(statusCode: 404, type: "unknown-flow", title: $"No flow {definitionId}.");
        }

        if (flow.Published is not null)
        {
            return Results.Problem(statusCode: 409, type: "flow-file-not-deleted",
                title: $"{definitionId} has its file {Path.GetFileName(flow.File)}: retract it to take it out of service, or remove that file in git. The designer deletes drafts only"
                    + (flow.Draft is null ? "." : $" (discard this one with DELETE /elsa/api/workflow-definition-versions/{StudioDefinitions.VersionId(definitionId, flow.LatestVersion)})."));
        }

        await drafts.DeleteAsync(definitionId, ct);
        return null;
    }

    /// <summary>Deletes a draft version; published versions are kept (runs refer to them) and refused.</summary>
    private static async Task<IResult?> DeleteVersionAsync(string versionId, StudioDefinitions definitions, FlowDrafts drafts, CancellationToken ct)
    {
        var split = versionId.LastIndexOf('~');
        if (split <= 0 || !int.TryParse(versionId[(split + 1)..], out var version) || await definitions.FindAsync(versionId[..split], ct) is not { } flow
            || version < 1 || version > flow.LatestVersion)
        {
            return Results.Problem(statusCode: 404, type: "unknown-flow-version", title: $"No flow version {versionId}.");
        }

        if (flow.Draft is not null && version == flow.LatestVersion)
        {
            await drafts.DeleteAsync(flow.DefinitionId, ct);
            return null;
        }

        return Results.Problem(statusCode: 409, type: "flow-version-kept",
            title: $"Version {version} of {flow.DefinitionId} was published: published versions are kept, since runs refer to them. Only a draft can be deleted.");
    }

    private static async Task<IResult> BulkAsync(StudioRequest ask, string idsName, Func<string, Task<IResult?>> delete)
    {
        var deleted = 0;
        var refused = new Dictionary<string, string[]>();
        foreach (var id in ask.Strings(idsName))
        {
            if (await delete(id) is { } refusal)
            {
                refused[id] = [refusal is IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails problem } ? problem.Title ?? "refused" : "refused"];
            }
            else
            {
                deleted++;
            }
        }

        return refused.Count == 0
            ? Results.Json(new JsonObject { ["deleted"] = deleted })
            : Results.ValidationProblem(refused, title: $"{deleted} deleted; {refused.Count} refused.", type: "flow-not-deleted");
    }

    private static async Task<JsonObject?> ReadObjectAsync(Stream body, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(body, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
