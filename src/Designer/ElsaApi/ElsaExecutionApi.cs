using System.Text.Json.Nodes;
using Integration.Designer.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary><c>POST /workflow-definitions/{id}/execute</c> and <c>/dispatch</c>, as Elsa answers them (see <see cref="StudioExecution"/>).</summary>
internal static class ElsaExecutionApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/workflow-definitions/{definitionId}/execute", async (string definitionId, HttpContext http, StudioExecution execution, StudioRuns runs, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(http.Request, ct);
            var choice = await execution.ChooseAsync(definitionId, ask.String("versionOptions"), ct);
            if (choice.Flow is not { } flow)
            {
                return Refused(choice);
            }

            // Only where the flow may start: a run begun at any activity would skip its trigger's filter and the checks before it.
            var trigger = ask.String("triggerActivityId");
            if (trigger is not null && !flow.Definition.Root.Children.Any(c => c.Id == trigger && c.CanStartWorkflow))
            {
                return Results.Problem(statusCode: 400, type: "not-a-trigger", title: $"'{trigger}' is not an activity flow {definitionId} may start at (canStartWorkflow).");
            }

            var (instanceId, status) = await execution.ExecuteAsync(flow, StudioExecution.Input(ask.Object("input")), ask.String("correlationId"), trigger, ct);
            // Studio reads these two headers to open the run.
            http.Response.Headers["x-elsa-workflow-cannot-start"] = "false";
            http.Response.Headers["x-elsa-workflow-instance-id"] = instanceId;
            var run = await runs.FindAsync(instanceId, ct);
            var body = new JsonObject { ["workflowState"] = run is null ? null : StudioRuns.Instance(run)["workflowState"]!.DeepClone() };
            // As in Elsa, a run that faulted answers 500 with its state.
            return Results.Json(body, statusCode: status == Workflows.Execution.FlowRunStatus.Faulted ? 500 : 200);
        });

        api.MapPost("/workflow-definitions/{definitionId}/dispatch", async (string definitionId, HttpRequest request, StudioExecution execution, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var choice = await execution.ChooseAsync(definitionId, ask.String("versionOptions"), ct);
            if (choice.Flow is not { } flow)
            {
                return Refused(choice);
            }

            var instanceId = ask.String("instanceId") is { Length: > 0 } given ? Guid.TryParse(given, out var parsed) ? parsed : (Guid?)null : Guid.NewGuid();
            if (instanceId is null)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["instanceId"] = ["A run id is a UUID."] }, type: "invalid-instance-id");
            }

            return Results.Json(new JsonObject
            {
                ["workflowInstanceId"] = await execution.DispatchAsync(flow, StudioExecution.Input(ask.Object("input")), ask.String("correlationId"), instanceId.Value, ct),
            });
        });
    }

    private static IResult Refused(StudioExecution.Choice choice) => Results.Problem(statusCode: choice.Status, type: choice.ProblemType, title: choice.Problem);
}
