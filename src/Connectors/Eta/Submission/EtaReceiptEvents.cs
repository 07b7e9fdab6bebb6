using System.Text.Json;
using Dapper;
using Integration.Connectors.Eta.Canonical;
using Npgsql;

namespace Integration.Connectors.Eta.Submission;

/// <summary>
/// Events flows start on, written to <c>integration.outbox</c> in the transaction that changed the receipt:
/// <c>eta.receipt.valid</c> (the portal accepted it for good), <c>eta.receipt.invalid</c> (the portal refused it) and <c>eta.receipt.late</c> (not submitted in time).
/// Each continues the trace of the run that issued the receipt (the order's), not the batch submission's.
/// </summary>
internal static class EtaReceiptEvents
{
    public const string Valid = "eta.receipt.valid";
    public const string Invalid = "eta.receipt.invalid";
    public const string Late = "eta.receipt.late";

    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string topic, string company, string uuid, object payload) =>
        connection.ExecuteAsync(
            """
            INSERT INTO integration.outbox (topic, company, entity_key, payload, trace_parent)
            VALUES (@topic, @company, @uuid, CAST(@payload AS jsonb), (SELECT trace_parent FROM eta.receipt WHERE uuid = @uuid))
            """,
            new { topic, company, uuid, payload = JsonSerializer.Serialize(payload, EtaJson.Options) }, transaction);
}
