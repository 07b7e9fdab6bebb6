using Integration.Workflows.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Integration.Workflows;

/// <summary><c>/api/flows</c>, <c>/api/runs</c> and <c>/api/incidents</c>: what flows are in service, what ran, what failed.</summary>
public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/flows", (FlowCatalog catalog) => Results.Ok(catalog.Flows.Select(f => new
        {
            file = f.File,
            definitionId = f.Definition?.DefinitionId,
            name = f.Definition?.Name,
            version = f.PublishedVersion,
            status = f.Problems.Count > 0 ? f.Definition is null ? "refused" : "refused (previous version in service)"
                : f.Definition!.IsPublished ? "published" : "retracted",
            problems = f.Problems.Select(p => new { p.JsonPath, p.Message }),
        })))
            .WithTags("Flows").WithName("ListFlows").WithSummary("Flow files, the version in service, and the problems of refused ones.");

        app.MapGet("/api/flows/{definitionId}", (FlowCatalog catalog, string definitionId) =>
                catalog.Flows.FirstOrDefault(f => f.Definition?.DefinitionId == definitionId) is { Definition: { } definition } flow
                    ? Results.Ok(new { file = flow.File, version = flow.PublishedVersion, definition = definition.Json })
                    : Results.Problem(statusCode: 404, type: "unknown-flow", title: $"No flow {definitionId} in service."))
            .WithTags("Flows").WithName("GetFlow").WithSummary("The definition in service (Elsa 3 JSON) and its version.");

        app.MapGet("/api/flows/{definitionId}/versions", async (FlowCatalog catalog, string definitionId, CancellationToken ct) =>
                await catalog.VersionsAsync(definitionId, ct) is { Count: > 0 } versions
                    ? Results.Ok(versions)
                    : Results.Problem(statusCode: 404, type: "unknown-flow", title: $"No flow {definitionId} was ever published."))
            .WithTags("Flows").WithName("ListFlowVersions").WithSummary("Every published version of a flow, newest first, with its number of runs.");

        app.MapPost("/api/flows/validate", async (HttpRequest request, Loading.FlowLoader loader) =>
            {
                using var reader = new StreamReader(request.Body);
                var result = loader.Load(await reader.ReadToEndAsync(request.HttpContext.RequestAborted), "request");
                return Results.Ok(new { valid = result.IsValid, problems = result.Problems.Select(p => new { p.JsonPath, p.Message }) });
            })
            .WithTags("Flows").WithName("ValidateFlow").WithSummary("Checks a definition (Elsa 3 JSON in the body) as the loader does, without publishing it.");

        app.MapGet("/api/runs", async (FlowInstanceStore store, string? definitionId, string? status, string? correlationId, int? limit) =>
                Results.Ok(await store.ListAsync(definitionId, status, correlationId, Math.Clamp(limit ?? 50, 1, 500))))
            .WithTags("Flows").WithName("ListRuns").WithSummary("Flow runs, newest first, by definition, status or correlation id.");

        app.MapGet("/api/runs/{id:guid}", async (FlowInstanceStore store, Guid id) =>
                await store.GetAsync(id) is { } run ? Results.Ok(run) : Results.Problem(statusCode: 404, type: "unknown-run", title: $"No run {id}."))
            .WithTags("Flows").WithName("GetRun").WithSummary("One run with its input, output, variables, journal and incidents.");

        app.MapPost("/api/runs/{id:guid}/cancel", async (FlowRuns runs, Guid id, CancellationToken ct) => await Act("run", async () =>
            {
                await runs.CancelRunAsync(id, ct);
                return Results.NoContent();
            }))
            .WithTags("Flows").WithName("CancelRun").WithSummary("Cancels a run that has not ended (suspended, in flight or faulted) and its open incidents.");
        // A retry runs the failed activity (often an effect) and commits with its incident marked Retried. It goes on under
        // the host's token, not the request's: a caller hanging up or the operator timeout would roll back a retry whose
        // effect is done, and the next retry would do it again.
        app.MapPost("/api/runs/{id:guid}/retry", async (FlowRuns runs, Guid id, IHostApplicationLifetime host) => await Act("run", async () =>
                Results.Ok(new { status = await runs.RetryRunAsync(id, host.ApplicationStopping) })))
            .WithTags("Flows").WithName("RetryRun").WithSummary("Retries a faulted run from its latest open incident.");

        app.MapGet("/api/runs/{id:guid}/payloads/{key}", async (FlowInstanceStore store, Guid id, string key) =>
                await store.PayloadAsync(id, key) is { } json ? Results.Text(json, "application/json")
                    : Results.Problem(statusCode: 404, type: "unknown-payload", title: $"Run {id} has no stored value {key}."))
            .WithTags("Flows").WithName("GetRunPayload").WithSummary("A value of the run's journal too large to keep inline (referenced there as {\"$payload\": key}).");

        app.MapGet("/api/schedules", (IServiceProvider services, CancellationToken ct) => OnSchedules(services, async schedules =>
            Results.Ok((await schedules.ListAsync(ct)).Select(s => new { s.DefinitionId, s.ActivityId, s.Schedule, s.Next, s.Paused }))));
        app.MapPost("/api/schedules/{definitionId}/{activityId}/run", (IServiceProvider services, string definitionId, string activityId, CancellationToken ct) =>
            OnSchedule(services, definitionId, activityId, Results.Accepted(), schedules => schedules.RunNowAsync(definitionId, activityId, ct)));
        app.MapPost("/api/schedules/{definitionId}/{activityId}/pause", (IServiceProvider services, string definitionId, string activityId, CancellationToken ct) =>
            OnSchedule(services, definitionId, activityId, Results.NoContent(), schedules => schedules.PauseAsync(definitionId, activityId, ct)));
        app.MapPost("/api/schedules/{definitionId}/{activityId}/resume", (IServiceProvider services, string definitionId, string activityId, CancellationToken ct) =>
            OnSchedule(services, definitionId, activityId, Results.NoContent(), schedules => schedules.ResumeAsync(definitionId, activityId, ct)));
        app.MapGet("/api/incidents", async (FlowInstanceStore store, string? status, int? limit, string? definitionId, string? correlationId) =>
                Results.Ok(await store.IncidentsAsync(status ?? "Open", Math.Clamp(limit ?? 50, 1, 500), definitionId, correlationId)))
            .WithTags("Flows").WithName("ListIncidents")
            .WithSummary("Incidents of flow runs, newest first (default: open ones, 50); definitionId and correlationId narrow to one flow or business key.");

        app.MapPost("/api/incidents/{id:long}/retry", async (FlowRuns runs, long id, IHostApplicationLifetime host) => await Act("incident", async () =>
                Results.Ok(new { status = await runs.RetryAsync(id, host.ApplicationStopping) })))
            .WithTags("Flows").WithName("RetryIncident").WithSummary("Runs the failed activity again and lets the run go on from there.");
        app.MapPost("/api/incidents/retry", async (FlowInstanceStore store, FlowRuns runs, IncidentRetryFilter? filter, IHostApplicationLifetime host, CancellationToken ct) =>
            {
                filter ??= new IncidentRetryFilter(null, null, null, null);
                var results = await runs.RetryEachAsync(
                    await store.OpenIncidentIdsAsync(filter.DefinitionId, filter.ActivityId, filter.Transient, Math.Clamp(filter.Limit ?? 100, 1, 500), ct), host.ApplicationStopping);
                return Results.Ok(new { retried = results.Count, results });
            })
            .WithTags("Flows").WithName("RetryIncidents")
            .WithSummary("Retries the open incidents of a flow (definitionId), an activity (activityId) or the transient ones (transient: true), oldest first, up to limit (100): what an operator does once a store is back.");
        app.MapPost("/api/incidents/{id:long}/cancel", async (FlowRuns runs, long id, CancellationToken ct) => await Act("incident", async () =>
            {
                await runs.CancelAsync(id, ct);
                return Results.NoContent();
            }))
            .WithTags("Flows").WithName("CancelIncident").WithSummary("Cancels the incident and its run.");
        return app;
    }

    // Quartz runs only where Flows:Schedules is on: elsewhere there are no schedules to list or act on.
    private static async Task<IResult> OnSchedules(IServiceProvider services, Func<Scheduling.FlowSchedules, Task<IResult>> action) =>
        services.GetService(typeof(Scheduling.FlowSchedules)) is Scheduling.FlowSchedules schedules
            ? await action(schedules)
            : Results.Problem("Schedules are off on this host (Flows:Schedules).", statusCode: 409);

    private static Task<IResult> OnSchedule(IServiceProvider services, string definitionId, string activityId, IResult done, Func<Scheduling.FlowSchedules, Task<bool>> action) =>
        OnSchedules(services, async schedules => await action(schedules)
            ? done
            : Results.Problem($"No schedule {activityId} in a flow {definitionId} in service.", statusCode: 404));

    private static async Task<IResult> Act(string subject, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (KeyNotFoundException ex)
        {
            return Results.Problem(statusCode: 404, type: $"unknown-{subject}", title: ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(statusCode: 409, type: subject == "incident" ? "incident-not-open" : "run-not-open", title: ex.Message);
        }
    }
}
