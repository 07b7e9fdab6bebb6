using System.Text.Json.Nodes;
using Integration.Workflows.Persistence;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Flows.RetryIncidents</c>: retries now the open incidents of another flow's runs with the same correlation (this
/// run's unless <c>correlationId</c> says another), when what they waited for has just happened: an order's invoice,
/// which the refunds that came before it were waiting for. By default only incidents whose error may pass (transient),
/// optionally of one activity: an incident left for a person is not retried behind their back. Outputs <c>retried</c> (how many) and <c>results</c>
/// ({incidentId, status}); an incident another host retried meanwhile is skipped. Outside a host (the CLI) it retries none.
/// </summary>
internal sealed class RetryIncidentsActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Flows.RetryIncidents", "Composition", "Retry incidents",
        [new InputDescriptor("workflowDefinitionId", "String", true, "workflow-definition-picker"), new InputDescriptor("correlationId", "String"),
         new InputDescriptor("activityId", "String", Description: "Only the incidents of this activity."),
         new InputDescriptor("onlyTransient", "Boolean", UiHint: "checkbox", Description: "Only incidents whose error may pass (default true): one left for a person stays so.")],
        [new OutputDescriptor("retried", "Int32"), new OutputDescriptor("results", "Object")], ["Done"],
        Description: "Retries the open incidents of a flow's runs with this run's correlation.", HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var definitionId = context.Input<string>("workflowDefinitionId")!;
        var correlationId = context.Input<string>("correlationId") ?? context.State.CorrelationId
            ?? throw new InvalidOperationException("Flows.RetryIncidents needs a correlation: this run has none and none was given");
        var results = new JsonArray();
        if (context.Services?.GetService(typeof(FlowInstanceStore)) is FlowInstanceStore store && context.Services.GetService(typeof(FlowRuns)) is FlowRuns runs)
        {
            var transientOnly = context.HasInput("onlyTransient") ? context.Input<bool>("onlyTransient") : true;
            var open = await store.OpenIncidentIdsAsync(definitionId, context.Input<string>("activityId"), transientOnly ? true : null, 100, context.CancellationToken, correlationId);
            foreach (var outcome in await runs.RetryEachAsync(open, context.CancellationToken))
            {
                results.Add(new JsonObject { ["incidentId"] = outcome.Id, ["status"] = outcome.Status, ["reason"] = outcome.Reason });
            }
        }

        context.SetOutput("retried", results.Count(r => r?["status"]?.GetValue<string>() != "Skipped"));
        context.SetOutput("results", results);
        return ActivityResult.Done;
    }
}
