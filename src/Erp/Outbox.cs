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
    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string topic, string company, string entityKey, object payload) =>
        connection.ExecuteAsync(
            "INSERT INTO integration.outbox (topic, company, entity_key, payload, trace_parent) VALUES (@topic, @company, @entityKey, @payload::jsonb, @traceParent)",
            new { topic, company, entityKey, payload = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web), traceParent = Activity.Current?.Id },
            transaction);
}
