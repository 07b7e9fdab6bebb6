using System.Text.Json.Nodes;
using Integration.Designer.Runs;
using Integration.Workflows.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// <c>/elsa/api/workflow-instances</c> and <c>/activity-executions</c> as Studio's run list and run viewer call them,
/// over our runs (see <see cref="StudioRuns"/>). Cancel and delete go through <see cref="FlowRuns"/>, as <c>/api/runs</c> does.
/// </summary>
internal static class ElsaInstancesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapMethods("/workflow-instances", ["GET", "POST"], async (HttpRequest request, StudioRuns runs, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var page = Math.Max(ask.Int("page") ?? 0, 0);
            var pageSize = Math.Clamp(ask.Int("pageSize") ?? 50, 1, 500);
            var orderBy = ask.String("orderBy") switch
            {
                "LastExecuted" or "UpdatedAt" or "1" => "updated",
                "Finished" or "2" => "finished",
                "Name" or "3" => "name",
                _ => "created",
            };
            var direction = ask.String("orderDirection");
            var definitionIds = ask.Strings("definitionIds").Concat(ask.String("definitionId") is { Length: > 0 } one ? [one] : []).ToList();
            var statuses = ask.Strings("statuses").Concat(ask.String("status") is { Length: > 0 } s ? [s] : []).Select(StudioRequest.WorkflowStatus).ToList();
            var subStatuses = ask.Strings("subStatuses").Concat(ask.String("subStatus") is { Length: > 0 } ss ? [ss] : []).Select(StudioRequest.WorkflowSubStatus).ToList();
            var query = new FlowRunQuery(
                DefinitionIds: definitionIds,
                Statuses: StudioRuns.OurStatuses(statuses, subStatuses),
                CorrelationId: ask.String("correlationId") is { Length: > 0 } c ? c : null,
                Version: ask.Int("version"),
                HasIncidents: ask.Bool("hasIncidents"),
                SearchTerm: ask.String("searchTerm"),
                OrderBy: orderBy,
                Descending: direction is "Descending" or "1" || (direction is null or "" && orderBy != "name"),
                Skip: page * pageSize,
                Take: pageSize);
            // An Elsa status that none of ours maps to matches nothing.
            var result = query.Statuses is { Count: 0 } ? new FlowRunPage([], 0) : await runs.PageAsync(query, ct);
            return Results.Json(new JsonObject
            {
                ["items"] = new JsonArray([.. result.Items.Select(StudioRuns.Summary)]),
                ["totalCount"] = result.TotalCount,
            });
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);

        api.MapGet("/workflow-instances/{id}", async (string id, StudioRuns runs, CancellationToken ct) =>
            await runs.FindAsync(id, ct) is { } run ? Results.Json(StudioRuns.Instance(run)) : UnknownRun(id));

        api.MapGet("/workflow-instances/{id}/execution-state", async (string id, StudioRuns runs, CancellationToken ct) =>
        {
            if (await runs.FindAsync(id, ct) is not { } run)
            {
                return UnknownRun(id);
            }

            var (status, subStatus) = StudioRuns.ElsaStatus(run.Status);
            return Results.Json(new JsonObject { ["status"] = status, ["workflowSubStatus"] = subStatus, ["updatedAt"] = run.Stored["updatedAt"]?.DeepClone() });
        });

        api.MapGet("/workflow-instances/{id}/variables", async (string id, StudioRuns runs, CancellationToken ct) =>
            await runs.FindAsync(id, ct) is { } run
                ? Results.Json(new JsonObject { ["items"] = StudioRuns.Variables(run), ["count"] = StudioRuns.Variables(run).Count })
                : UnknownRun(id));

        api.MapMethods("/workflow-instances/{id}/journal", ["GET", "POST"], async (string id, HttpRequest request, StudioRuns runs, CancellationToken ct) =>
        {
            if (await runs.FindAsync(id, ct) is not { } run)
            {
                return UnknownRun(id);
            }

            var ask = await StudioRequest.ReadAsync(request, ct);
            var filter = ask.Object("filter");
            var nodeIds = StudioRequest.Strings(filter?["activityNodeIds"]).ToHashSet(StringComparer.Ordinal);
            var activityIds = StudioRequest.Strings(filter?["activityIds"]).ToHashSet(StringComparer.Ordinal);
            var excluded = StudioRequest.Strings(filter?["excludedActivityTypes"]).ToHashSet(StringComparer.Ordinal);
            var events = StudioRequest.Strings(filter?["eventNames"]).ToHashSet(StringComparer.Ordinal);
            var records = StudioRuns.Log(run)
                .Where(r => nodeIds.Count == 0 || nodeIds.Contains(r["nodeId"]!.ToString()))
                .Where(r => activityIds.Count == 0 || activityIds.Contains(r["activityId"]!.ToString()))
                .Where(r => !excluded.Contains(r["activityType"]?.ToString() ?? ""))
                .Where(r => events.Count == 0 || events.Contains(r["eventName"]!.ToString()))
                .ToList();
            var take = ask.Int("take") ?? ask.Int("pageSize") ?? records.Count;
            var skip = ask.Int("skip") ?? (ask.Int("page") ?? 0) * take;
            return Results.Json(new JsonObject
            {
                ["items"] = new JsonArray([.. records.Skip(Math.Max(skip, 0)).Take(Math.Max(take, 0))]),
                ["totalCount"] = records.Count,
            });
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);

        api.MapDelete("/workflow-instances/{id}", async (string id, FlowRuns flowRuns, CancellationToken ct) =>
            Guid.TryParse(id, out var instanceId) ? await ActAsync(async () =>
            {
                await flowRuns.DeleteRunAsync(instanceId, ct);
                return Results.NoContent();
            }) : UnknownRun(id));

        api.MapPost("/cancel/workflow-instances/{id}", async (string id, FlowRuns flowRuns, CancellationToken ct) =>
            Guid.TryParse(id, out var instanceId) ? await ActAsync(async () =>
            {
                await flowRuns.CancelRunAsync(instanceId, ct);
                return Results.Ok();
            }) : UnknownRun(id));

        api.MapPost("/bulk-actions/cancel/workflow-instances", async (HttpRequest request, FlowRuns flowRuns, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var cancelled = 0;
            foreach (var id in ask.Strings("ids"))
            {
                try
                {
                    if (Guid.TryParse(id, out var instanceId))
                    {
                        await flowRuns.CancelRunAsync(instanceId, ct);
                        cancelled++;
                    }
                }
                catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
                {
                    // Not a run, or one that has ended: nothing to cancel.
                }
            }

            return Results.Json(new JsonObject { ["cancelled"] = cancelled });
        });

        api.MapPost("/bulk-actions/delete/workflow-instances/by-id", async (HttpRequest request, FlowRuns flowRuns, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var deleted = 0;
            var refused = new Dictionary<string, string[]>();
            foreach (var id in ask.Strings("ids"))
            {
                try
                {
                    await flowRuns.DeleteRunAsync(Guid.TryParse(id, out var instanceId) ? instanceId : throw new KeyNotFoundException($"No run {id}."), ct);
                    deleted++;
                }
                catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
                {
                    refused[id] = [ex.Message];
                }
            }

            return refused.Count == 0
                ? Results.Json(new JsonObject { ["deleted"] = deleted })
                : Results.ValidationProblem(refused, title: $"{deleted} runs deleted; {refused.Count} refused.", type: "run-not-deleted");
        });

        api.MapGet("/activity-executions/list", async (string workflowInstanceId, string? activityNodeId, StudioRuns runs, CancellationToken ct) =>
            await runs.FindAsync(workflowInstanceId, ct) is { } run ? List(Executions(run, activityNodeId)) : UnknownRun(workflowInstanceId));

        api.MapGet("/activity-execution-summaries/list", async (string workflowInstanceId, string? activityNodeId, StudioRuns runs, CancellationToken ct) =>
        {
            if (await runs.FindAsync(workflowInstanceId, ct) is not { } run)
            {
                return UnknownRun(workflowInstanceId);
            }

            string[] summaryFields = ["id", "workflowInstanceId", "activityId", "activityNodeId", "activityType", "activityTypeVersion", "activityName", "startedAt", "hasBookmarks", "metadata", "status", "completedAt"];
            return List(Executions(run, activityNodeId).Select(r => new JsonObject(summaryFields.Select(f => KeyValuePair.Create(f, r[f]?.DeepClone())))));
        });

        api.MapGet("/activity-executions/by-id", async (string id, StudioRuns runs, CancellationToken ct) =>
            await ExecutionAsync(id, runs, ct) is { } record ? Results.Json(record) : UnknownExecution(id));

        api.MapGet("/activity-executions/{id}/call-stack", async (string id, StudioRuns runs, CancellationToken ct) =>
            // Our activities run in one flowchart of one run: the call stack is the execution itself.
            await ExecutionAsync(id, runs, ct) is { } record
                ? Results.Json(new JsonObject { ["activityExecutionId"] = id, ["items"] = new JsonArray(record), ["totalCount"] = 1 })
                : UnknownExecution(id));

        api.MapPost("/activity-executions/report", async (HttpRequest request, StudioRuns runs, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            if (await runs.FindAsync(ask.String("workflowInstanceId") ?? "", ct) is not { } run)
            {
                return UnknownRun(ask.String("workflowInstanceId") ?? "");
            }

            var wanted = ask.Strings("activityNodeIds").ToHashSet(StringComparer.Ordinal);
            var stats = StudioRuns.Executions(run)
                .Where(r => wanted.Count == 0 || wanted.Contains(r["activityNodeId"]!.ToString()))
                .GroupBy(r => r["activityNodeId"]!.ToString())
                .Select(g =>
                {
                    var completed = g.Count(r => r["status"]!.ToString() == "Completed");
                    return new JsonObject
                    {
                        ["activityId"] = g.First()["activityId"]!.DeepClone(),
                        ["activityNodeId"] = g.Key,
                        ["startedCount"] = g.Count(),
                        ["completedCount"] = completed,
                        ["uncompletedCount"] = g.Count() - completed,
                        ["isBlocked"] = g.Any(r => r["hasBookmarks"]!.GetValue<bool>()),
                        ["isFaulted"] = g.Any(r => r["status"]!.ToString() == "Faulted"),
                        ["metadata"] = new JsonObject(),
                    };
                });
            return Results.Json(new JsonObject { ["stats"] = new JsonArray([.. stats]) });
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);

        // Our retries are counted on the incident (see /api/incidents), not kept per attempt.
        api.MapGet("/resilience/retries/{activityInstanceId}", () => Results.Json(new JsonObject { ["items"] = new JsonArray(), ["totalCount"] = 0 }));
    }

    private static IEnumerable<JsonObject> Executions(StudioRuns.Run run, string? activityNodeId) =>
        StudioRuns.Executions(run).Where(r => string.IsNullOrEmpty(activityNodeId) || r["activityNodeId"]!.ToString() == activityNodeId);

    private static async Task<JsonObject?> ExecutionAsync(string id, StudioRuns runs, CancellationToken ct) =>
        StudioRuns.ParseExecutionId(id) is { } parsed && await runs.FindAsync(parsed.InstanceId, ct) is { } run
            ? StudioRuns.Executions(run).ElementAtOrDefault(parsed.Index)
            : null;

    private static IResult List(IEnumerable<JsonObject> items)
    {
        var array = new JsonArray([.. items]);
        return Results.Json(new JsonObject { ["items"] = array, ["count"] = array.Count });
    }

    private static async Task<IResult> ActAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (KeyNotFoundException ex)
        {
            return Results.Problem(statusCode: 404, type: "unknown-run", title: ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(statusCode: 409, type: "run-not-open", title: ex.Message);
        }
    }

    private static IResult UnknownRun(string id) => Results.Problem(statusCode: 404, type: "unknown-run", title: $"No run {id}.");

    private static IResult UnknownExecution(string id) => Results.Problem(statusCode: 404, type: "unknown-activity-execution", title: $"No activity execution {id}.");
}
