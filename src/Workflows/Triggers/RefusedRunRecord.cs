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
        var faulted = await Persistence.FlowInstanceStore.FaultHeldAsync(connection, transaction, null, trigger, owner, "(store)", reason, nameof(PostgresException));
        return faulted ? reason + "; its run, stored at a checkpoint, is faulted with an incident: retry that once fixed" : reason;
    }
}
