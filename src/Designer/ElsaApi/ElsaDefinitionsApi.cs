using System.Text.Json.Nodes;
using Integration.Designer.Definitions;
using Integration.Workflows.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary><c>/elsa/api/workflow-definitions</c> as Elsa Studio calls it, over our flows (see <see cref="StudioDefinitions"/>).</summary>
internal static class ElsaDefinitionsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        // Changing what runs (save, publish, import, revert, delete a definition) needs the admin scope.
        var admin = api.MapGroup("").RequireAuthorization(DesignerRegistration.AdminPolicy);
        api.MapGet("/workflow-definitions", async (HttpRequest request, StudioDefinitions definitions, CancellationToken ct) =>
        {
            var query = request.Query;
            var versionOptions = query["versionOptions"].ToString();
            var ids = query["definitionIds"].Where(id => !string.IsNullOrEmpty(id)).ToHashSet(StringComparer.Ordinal);
            var search = query["searchTerm"].ToString();
            var flows = (await definitions.ListAsync(ct))
                .Where(f => ids.Count == 0 || ids.Contains(f.DefinitionId))
                .Where(f => search.Length == 0 || f.DefinitionId.Contains(search, StringComparison.OrdinalIgnoreCase)
                    || (f.Name ?? "").Contains(search, StringComparison.OrdinalIgnoreCase)
                    || (f.Latest["description"]?.ToString() ?? "").Contains(search, StringComparison.OrdinalIgnoreCase));
            var items = new List<JsonObject>();
            foreach (var flow in flows)
            {
                switch (versionOptions)
                {
                    case "Published":
                        // As in Elsa, a retracted flow has no published version.
                        if (flow.InService)
                        {
                            items.Add(StudioDefinitions.Summary(flow, flow.PublishedVersion));
                        }

                        break;
                    case "AllVersions":
                        items.AddRange(await definitions.VersionsAsync(flow, ct));
                        break;
                    default:
                        items.Add(StudioDefinitions.Summary(flow, flow.LatestVersion));
                        break;
                }
            }

            var descending = query["orderDirection"] == "Descending";
            IEnumerable<JsonObject> ordered = query["orderBy"].ToString() switch
            {
                "Version" => items.OrderBy(i => i["version"]!.GetValue<int>()),
                "Created" => items.OrderBy(i => i["createdAt"]!.GetValue<DateTimeOffset>()),
                _ => items.OrderBy(i => i["name"]?.ToString(), StringComparer.OrdinalIgnoreCase),
            };
            ordered = descending ? ordered.Reverse() : ordered;
            var page = int.TryParse(query["page"], out var p) ? Math.Max(p, 0) : 0;
            var pageSize = int.TryParse(query["pageSize"], out var s) ? Math.Clamp(s, 1, 1000) : 1000;
            return Results.Json(new JsonObject
            {
                ["items"] = new JsonArray([.. ordered.Skip(page * pageSize).Take(pageSize)]),
                ["totalCount"] = items.Count,
                ["links"] = Links.ForList(),
            });
        });

        api.MapGet("/workflow-definitions/by-definition-id/{definitionId}", async (string definitionId, string? versionOptions, StudioDefinitions definitions, CancellationToken ct) =>
            await definitions.FindAsync(definitionId, ct) is { } flow && await definitions.VersionAsync(flow, versionOptions, ct) is { } model
                ? Results.Json(model)
                : Results.NotFound());

        api.MapGet("/workflow-definitions/by-id/{id}", async (string id, StudioDefinitions definitions, CancellationToken ct) =>
        {
            var split = id.LastIndexOf('~');
            return split > 0 && await definitions.FindAsync(id[..split], ct) is { } flow && await definitions.VersionAsync(flow, id[(split + 1)..], ct) is { } model
                ? Results.Json(model)
                : Results.NotFound();
        });

        api.MapGet("/workflow-definitions/validation/is-name-unique", async (string? name, string? definitionId, StudioDefinitions definitions, CancellationToken ct) =>
            Results.Json(new JsonObject
            {
                ["isUnique"] = !(await definitions.ListAsync(ct)).Any(f => f.DefinitionId != definitionId && string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)),
            }));

        admin.MapPost("/workflow-definitions", async (JsonObject request, DefinitionPublishing publishing, CancellationToken ct) =>
        {
            if (request["model"] is not JsonObject model)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["model"] = ["The request has no model (the definition to save)."] });
            }

            var publish = request["publish"] is JsonValue flag && flag.TryGetValue<bool>(out var p) && p;
            return Answer(await publishing.SaveAsync(model, publish, ct));
        });

        admin.MapPost("/workflow-definitions/{definitionId}/publish", async (string definitionId, DefinitionPublishing publishing, CancellationToken ct) =>
            await publishing.PublishDraftAsync(definitionId, ct) is { } outcome ? Answer(outcome) : Results.NotFound());

        admin.MapPost("/bulk-actions/publish/workflow-definitions/by-definition-ids", async (JsonObject request, DefinitionPublishing publishing, CancellationToken ct) =>
        {
            var published = new JsonArray();
            var already = new JsonArray();
            var notFound = new JsonArray();
            var errors = new Dictionary<string, string[]>();
            foreach (var id in (request["definitionIds"] as JsonArray ?? []).Select(i => i?.ToString()).OfType<string>())
            {
                var outcome = await publishing.PublishDraftAsync(id, ct);
                if (outcome is null)
                {
                    notFound.Add(id);
                }
                else if (outcome.Problems.Count > 0)
                {
                    errors[id] = [.. outcome.Problems.Select(Describe)];
                }
                else
                {
                    (outcome.AlreadyPublished ? already : published).Add(id);
                }
            }

            return errors.Count > 0
                ? Results.ValidationProblem(errors, title: "Some flows do not validate and were not published.")
                : Results.Json(new JsonObject { ["published"] = published, ["alreadyPublished"] = already, ["notFound"] = notFound, ["skipped"] = new JsonArray(), ["updatedConsumers"] = new JsonArray() });
        });
    }

    private static IResult Answer(DefinitionPublishing.Outcome outcome) =>
        outcome.Problems.Count > 0
            // Studio shows each message of a 400 problem+json in its error bar.
            ? Results.ValidationProblem(
                outcome.Problems.GroupBy(p => p.JsonPath).ToDictionary(g => g.Key, g => g.Select(Describe).ToArray()),
                title: "The flow does not validate.", type: "invalid-flow")
            : Results.Json(new JsonObject
            {
                ["workflowDefinition"] = outcome.Definition,
                ["alreadyPublished"] = outcome.AlreadyPublished,
                ["consumingWorkflowCount"] = 0,
            });

    private static string Describe(FlowProblem problem) => $"{problem.JsonPath}: {problem.Message}";
}
