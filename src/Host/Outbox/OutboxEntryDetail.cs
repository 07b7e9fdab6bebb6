using System.Text.Json;

namespace Integration.Host.Outbox;

/// <summary>One ERP event with its payload and the runs it started.</summary>
public sealed record OutboxEntryDetail(OutboxEntry Entry, JsonElement Payload, IReadOnlyList<OutboxEventRun> Runs);
