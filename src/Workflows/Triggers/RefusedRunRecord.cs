using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// A run's record PostgreSQL refuses because of what it holds: a data exception (class 22: a NUL in a text, a malformed
/// value), an integrity violation (23) or a program limit (54: a value too large for an index). The same on every retry,
/// so a dispatcher rolls back only that delivery or event (to <see cref="Savepoint"/>, taken before each) and marks it
/// failed with <see cref="Reason"/>, instead of aborting its batch and holding up every row after it for good.
/// </summary>
internal static class RefusedRunRecord
{
    public const string Savepoint = "dispatch_row";

    public static bool Is(PostgresException ex) => ex.SqlState[..2] is "22" or "23" or "54";

    public static string Reason(PostgresException ex) => $"its run could not be stored: {ex.SqlState} {ex.MessageText}";
}
