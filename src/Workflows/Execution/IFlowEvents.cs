namespace Integration.Workflows.Execution;

/// <summary>
/// Wakes runs waiting for an event (<c>Elsa.Event</c> reached mid-flow): with a correlation id only the runs with that
/// correlation id, without one every run waiting for that event name. Returns how many runs it woke.
/// </summary>
public interface IFlowEvents
{
    Task<int> PublishAsync(string eventName, string? correlationId, object? payload, CancellationToken cancellationToken);
}
