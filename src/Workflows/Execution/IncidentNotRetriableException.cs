namespace Integration.Workflows.Execution;

/// <summary>
/// An incident no retry can ever run right (it does not say which loop item it failed in): refused before anything
/// runs, and left to a person, so the host's own retries stop picking it.
/// </summary>
public sealed class IncidentNotRetriableException(string message) : InvalidOperationException(message);
