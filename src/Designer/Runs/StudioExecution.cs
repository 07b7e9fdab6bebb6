using System.Text.Json.Nodes;
using Integration.Designer.Definitions;
using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;

namespace Integration.Designer.Runs;

/// <summary>
/// Runs a flow from the designer (Studio's Run, Elsa's <c>execute</c> and <c>dispatch</c>) through the host's runtime:
/// the version in service, stored and leased like any run. A draft never runs: while a flow has one, asking for the
/// latest version is refused (publish it first), so what runs is always what <c>flows/</c> holds.
/// </summary>
internal sealed class StudioExecution(FlowCatalog catalog, StudioDefinitions definitions, FlowRunner runner, FlowLeases leases, IFlowDispatcher dispatcher)
{
    public const string ExecuteTrigger = "designer:execute";
    // The resumer starts stored runs whose trigger says they were dispatched and never started.
    public const string DispatchTrigger = "dispatch:designer";

    /// <summary>The version to run, or why none runs (<c>Problem</c>: a stable type and a sentence).</summary>
    public sealed record Choice(FlowDefinitionAndVersion? Flow, string? ProblemType, string? Problem, int Status);

    public sealed record FlowDefinitionAndVersion(Workflows.Model.FlowDefinition Definition, int Version);

    public async Task<Choice> ChooseAsync(string definitionId, string? versionOptions, CancellationToken cancellationToken)
    {
        var inService = catalog.Find(definitionId);
        var flow = await definitions.FindAsync(definitionId, cancellationToken);
        if (flow is null)
        {
            return new Choice(null, "unknown-flow", $"No flow {definitionId}.", 404);
        }

        if (inService is not { } current)
        {
            return new Choice(null, "flow-not-published", $"{definitionId} exists only as a draft: publish it before running it.", 409);
        }

        if (!current.Definition.IsPublished)
        {
            return new Choice(null, "flow-retracted",
                $"{definitionId} is retracted (\"isPublished\": false in {Path.GetFileName(flow.File)}): nothing runs it until it is published again.", 409);
        }

        var options = string.IsNullOrEmpty(versionOptions) ? "Published" : versionOptions;
        if (options is "Latest" or "Draft" or "LatestOrPublished" && flow.Draft is not null)
        {
            return new Choice(null, "draft-not-runnable",
                $"{definitionId} has an unpublished draft (v{flow.LatestVersion}); a draft never runs. Publish it, or run the version in service (v{current.Version}) with versionOptions=Published.", 409);
        }

        if (int.TryParse(options, out var version) && version != current.Version)
        {
            return new Choice(null, "version-not-in-service", $"Only the version in service (v{current.Version}) of {definitionId} runs, not v{version}.", 409);
        }

        return new Choice(new FlowDefinitionAndVersion(current.Definition, current.Version), null, null, 200);
    }

    /// <summary>Runs the flow here and now, stores the run, and returns its id and status.</summary>
    public async Task<(string InstanceId, FlowRunStatus Status)> ExecuteAsync(
        FlowDefinitionAndVersion flow, IReadOnlyDictionary<string, object?> input, string? correlationId, string? triggerActivityId, CancellationToken cancellationToken)
    {
        var state = new FlowRunState { Input = new(input, StringComparer.Ordinal), CorrelationId = correlationId };
        await using var lease = leases.Begin(flow.Definition.DefinitionId, flow.Version, ExecuteTrigger);
        state = await runner.RunAsync(flow.Definition, state, triggerActivityId, lease.CheckpointAsync, cancellationToken);
        await lease.SaveAsync(state, cancellationToken);
        return (Guid.Parse(state.InstanceId).ToString(), state.Status);
    }

    /// <summary>Stores the run ready to go; whichever host's resumer comes first runs it. The same instance id is stored once.</summary>
    public async Task<string> DispatchAsync(
        FlowDefinitionAndVersion flow, IReadOnlyDictionary<string, object?> input, string? correlationId, Guid instanceId, CancellationToken cancellationToken)
    {
        await dispatcher.DispatchAsync(flow.Definition.DefinitionId, flow.Version, instanceId, input, correlationId, DispatchTrigger, cancellationToken);
        return instanceId.ToString();
    }

    /// <summary>Studio's <c>input</c> object as run input: JSON scalars as strings, numbers and booleans; objects and arrays as JSON.</summary>
    public static Dictionary<string, object?> Input(JsonObject? input) =>
        (input ?? []).ToDictionary(p => p.Key, p => p.Value switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            JsonValue v when v.TryGetValue<decimal>(out var d) => d,
            var node => (object?)node.DeepClone(),
        }, StringComparer.Ordinal);
}
