namespace Integration.Workflows.Execution;

/// <summary>
/// Starts a flow to run on its own (<c>DispatchWorkflow</c>): in a host, a stored run that any host picks up; the
/// instance id is derived from the dispatching run, so dispatching twice starts it once.
/// </summary>
public interface IFlowDispatcher
{
    Task DispatchAsync(string definitionId, int version, Guid instanceId, IReadOnlyDictionary<string, object?> input, string? correlationId, string trigger, CancellationToken cancellationToken);

    /// <summary>Stores a sub-flow that ran inside its parent (<c>ExecuteWorkflow</c>) as a run of its own, once.</summary>
    Task RecordAsync(string definitionId, int version, FlowRunState state, string trigger, CancellationToken cancellationToken);
}
