namespace Integration.Workflows.Triggers;

/// <summary>An event trigger's filter could not be evaluated on an event.</summary>
public sealed class EventFilterException(string message, Exception inner) : InvalidOperationException(message, inner);
