namespace Integration.Workflows.Persistence;

/// <summary>What retrying one incident gave: the run's status, or <c>Skipped</c> and why.</summary>
public sealed record IncidentRetryOutcome(long Id, string Status, string? Reason = null);
