using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Execution;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Elsa.ExecuteWorkflow</c> runs the flow <c>workflowDefinitionId</c> (the version in service) to its end with
/// <c>input</c> and <c>correlationId</c>, and outputs <c>result</c>: <c>{workflowInstanceId, status, output}</c>; in a
/// host the sub-run is also stored as a run of its own (trigger <c>execute:PARENT/ACTIVITY</c>). A sub-flow that
/// faults makes this activity an incident, so the failure is not lost in the parent.
/// <c>Elsa.DispatchWorkflow</c> starts it to run on its own (a stored run any host picks up, started once however often
/// the parent is retried), unless <c>waitForCompletion</c> asks to wait, when it behaves as ExecuteWorkflow.
/// </summary>
internal sealed class WorkflowActivity(string typeName, bool dispatch) : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(typeName, "Composition", dispatch ? "Dispatch Workflow" : "Execute Workflow",
        [new InputDescriptor("workflowDefinitionId", "String", true, "workflow-definition-picker"), new InputDescriptor("correlationId", "String"),
         new InputDescriptor("input", "Object", UiHint: "json-editor"), new InputDescriptor("waitForCompletion", "Boolean", UiHint: "checkbox")],
        [new OutputDescriptor("result", "Object")], ["Done"], HasExternalEffect: dispatch);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var definitionId = context.Input<string>("workflowDefinitionId")!;
        var found = (context.Services?.GetService(typeof(IFlowDefinitions)) as IFlowDefinitions)?.Find(definitionId)
            ?? throw new InvalidOperationException($"No flow '{definitionId}' is in service");
        if (!found.Definition.IsPublished)
        {
            throw new InvalidOperationException($"Flow '{definitionId}' is retracted (\"isPublished\": false in its file): publish it to start it");
        }

        var input = Input(context.InputValue("input"));
        var correlationId = context.Input<string>("correlationId") ?? context.State.CorrelationId;
        if (dispatch && context.Input<bool?>("waitForCompletion") != true
            && context.Services?.GetService(typeof(IFlowDispatcher)) is IFlowDispatcher dispatcher)
        {
            var instanceId = ChildId(context);
            await dispatcher.DispatchAsync(definitionId, found.Version, instanceId, input, correlationId,
                $"dispatch:{context.State.InstanceId}/{context.Node.Id}", context.CancellationToken);
            context.SetOutput("result", new JsonObject { ["workflowInstanceId"] = instanceId.ToString("N"), ["status"] = "Dispatched" });
            return ActivityResult.Done;
        }

        // The same parent activity at the same point names the same sub-run, so a retried parent stores it once.
        var child = await context.Runner.RunAsync(found.Definition,
            new FlowRunState { InstanceId = ChildId(context).ToString("N"), Input = input, CorrelationId = correlationId }, null, null, context.CancellationToken);
        if (context.Services?.GetService(typeof(IFlowDispatcher)) is IFlowDispatcher recorder)
        {
            await recorder.RecordAsync(definitionId, found.Version, child, $"execute:{context.State.InstanceId}/{context.Node.Id}", context.CancellationToken);
        }

        if (child.Status == FlowRunStatus.Faulted)
        {
            // The sub-run's correlation (a store, an order) says which one failed when a loop runs the flow for several.
            throw new InvalidOperationException(child.CorrelationId is { Length: > 0 } correlation
                ? $"Sub-flow {definitionId} ({correlation}, run {child.InstanceId}) faulted: {child.Incidents.FirstOrDefault()?.Message}"
                : $"Sub-flow {definitionId} (run {child.InstanceId}) faulted: {child.Incidents.FirstOrDefault()?.Message}");
        }

        context.SetOutput("result", new JsonObject
        {
            ["workflowInstanceId"] = child.InstanceId,
            ["status"] = child.Status.ToString(),
            ["output"] = System.Text.Json.JsonSerializer.SerializeToNode(child.Output),
        });
        return ActivityResult.Done;
    }

    private static Dictionary<string, object?> Input(object? value) => value switch
    {
        JsonObject json => json.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone(), StringComparer.Ordinal),
        string text when text.TrimStart().StartsWith('{') => Input(JsonNode.Parse(text)),
        IDictionary<string, object?> map => new(map, StringComparer.Ordinal),
        _ => new(StringComparer.Ordinal),
    };

    // The same parent activity at the same point of the same run always names the same child (entries dropped from a
    // full journal still count, so each iteration of a long loop names its own).
    private static Guid ChildId(ActivityContext context) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{context.State.InstanceId}/{context.Node.Id}/{context.State.Journal.Count + context.State.JournalDropped}"))[..16]);
}
