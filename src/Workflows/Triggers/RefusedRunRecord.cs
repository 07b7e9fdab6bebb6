using Dapper;
using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// A run's record PostgreSQL refuses because of what it holds: a data exception (class 22: a NUL in a text, a malformed
/// value), an integrity violation (23) or a program limit (54: a value too large for an index). The same on every retry,
/// so a dispatcher rolls back only that delivery or event's runs (to <see cref="Savepoint"/>, taken before them) and
/// marks it failed with the reason, instead of aborting its batch and holding up every row after it for good.
/// </summary>
internal static class RefusedRunRecord
{
    public const string Savepoint = "dispatch_row";

    public static bool Is(PostgresException ex) => ex.SqlState[..2] is "22" or "23" or "54";

    /// <summary>
    /// After the rollback: a run that reached a checkpoint before its record was refused was stored then, on a connection
    /// of its own, and outlives the rollback. It is faulted with an incident (activity <c>(store)</c>), so no host resumes
    /// it into the same refusal, and a person retries it once the cause is fixed. Returns the reason for the row.
    /// </summary>
    public static async Task<string> FaultAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string trigger, string owner, PostgresException ex)
    {
        var reason = $"its run could not be stored: {ex.SqlState} {ex.MessageText}".Replace('\0', '\uFFFD');
        var faulted = await connection.ExecuteAsync("""
            WITH faulted AS (
                UPDATE flows.instance SET status = 'Faulted', lease_owner = NULL, lease_expires_at = NULL, next_resume_at = NULL,
                    incident_count = incident_count + 1, updated_at = now(), finished_at = now()
                WHERE trigger = @trigger AND lease_owner = @owner AND status = 'Running'
                RETURNING id)
            INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, exception_type)
            SELECT id, '(store)', '(host)', @reason, 'PostgresException' FROM faulted
            """, new { trigger, owner, reason }, transaction);
        return faulted > 0 ? reason + "; its run, stored at a checkpoint, is faulted with an incident: retry that once fixed" : reason;
    }
}
