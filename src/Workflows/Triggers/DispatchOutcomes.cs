using Dapper;
using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// What a dispatcher's batch did with each row it claimed (done, failed, ignored...), written back in one statement
/// before the batch commits: one round trip per batch instead of one per row. The rows stay locked by the batch's
/// transaction until then, so no other dispatcher sees them in between.
/// </summary>
internal sealed class DispatchOutcomes
{
    private readonly string _table;
    private readonly List<long> _ids = [];
    private readonly List<string> _statuses = [];
    private readonly List<string?> _errors = [];

    private DispatchOutcomes(string table) => _table = table;

    public static DispatchOutcomes ForInbox() => new("integration.inbox");

    public static DispatchOutcomes ForOutbox() => new("integration.outbox");

    public void Add(long id, string status, string? error)
    {
        _ids.Add(id);
        _statuses.Add(status);
        // A NUL (from a payload value an error message quotes) is text PostgreSQL refuses: it would abort the batch.
        _errors.Add(error?.Replace('\0', '\uFFFD'));
    }

    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (_ids.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync($"""
            UPDATE {_table} t SET status = o.status, error = o.error, processed_at = now(), attempts = t.attempts + 1
            FROM unnest(@ids, @statuses, @errors) AS o(id, status, error)
            WHERE t.id = o.id
            """, new { ids = _ids.ToArray(), statuses = _statuses.ToArray(), errors = _errors.ToArray() }, transaction);
    }
}
