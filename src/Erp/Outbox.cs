using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Erp;

/// <summary>
/// Writes a change the stores care about to <c>integration.outbox</c>, inside the transaction that made it, with the
/// trace it happened in (the run that booked it), which the run the event starts continues. Changes with the same
/// ordering key (else the same entity key) reach the flows in the order they were written.
/// </summary>
internal static class Outbox
{
    /// <summary>The insert, for a statement that writes the event beside other changes (parameters from <see cref="Parameters"/>).</summary>
    public const string Insert = """
        INSERT INTO integration.outbox (topic, company, entity_key, payload, trace_parent, ordering_key)
        VALUES (@outboxTopic, @outboxCompany, @outboxEntityKey, @outboxPayload::jsonb, @outboxTraceParent, @outboxOrderingKey)
        """;

    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string topic, string company, string entityKey, object payload, string? orderingKey = null) =>
        connection.ExecuteAsync(Insert, Parameters(topic, company, entityKey, payload, orderingKey), transaction);

    public static DynamicParameters Parameters(string topic, string company, string entityKey, object payload, string? orderingKey = null) =>
        new(new
        {
            outboxTopic = topic, outboxCompany = company, outboxEntityKey = entityKey,
            outboxPayload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), outboxTraceParent = Activity.Current?.Id,
            outboxOrderingKey = orderingKey,
        });
}
