using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Erp;

/// <summary>
/// Writes a change the stores care about to <c>integration.outbox</c>, inside the transaction that made it, with the
/// trace it happened in (the run that booked it), which the run the event starts continues.
/// </summary>
internal static class Outbox
{
    /// <summary>The insert, for a statement that writes the event beside other changes (parameters from <see cref="Parameters"/>).</summary>
    public const string Insert = """
        INSERT INTO integration.outbox (topic, company, entity_key, payload, trace_parent)
        VALUES (@outboxTopic, @outboxCompany, @outboxEntityKey, @outboxPayload::jsonb, @outboxTraceParent)
        """;

    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string topic, string company, string entityKey, object payload) =>
        connection.ExecuteAsync(Insert, Parameters(topic, company, entityKey, payload), transaction);

    public static DynamicParameters Parameters(string topic, string company, string entityKey, object payload) =>
        new(new
        {
            outboxTopic = topic, outboxCompany = company, outboxEntityKey = entityKey,
            outboxPayload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), outboxTraceParent = Activity.Current?.Id,
        });
}
