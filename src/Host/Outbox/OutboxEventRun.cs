namespace Integration.Host.Outbox;

/// <summary>A run an ERP event started: its flow, id and status, to follow in <c>/api/runs</c>.</summary>
public sealed record OutboxEventRun(Guid Id, string DefinitionId, string Status, int IncidentCount);
