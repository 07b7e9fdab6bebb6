namespace Integration.Workflows;

/// <summary>Which open incidents <c>POST /api/incidents/retry</c> retries: of a flow, of an activity, transient or not (null: any), how many at most.</summary>
public sealed record IncidentRetryFilter(string? DefinitionId, string? ActivityId, bool? Transient, int? Limit);
