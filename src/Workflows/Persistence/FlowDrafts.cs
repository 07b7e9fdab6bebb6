using System.Text.Json;
using Dapper;
using Integration.Workflows.Loading;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Drafts of flows (<c>flows.draft</c>): saved with their problems, never run, until published. A draft remembers the
/// version in service it was based on; once a newer version is published from the file (changed on disk), the draft is
/// stale: kept in the table until the next save, but no longer offered as the flow's latest version.
/// </summary>
public sealed class FlowDrafts(NpgsqlDataSource dataSource, FlowLoader loader, FlowCatalog catalog)
{
    /// <summary>Saves a draft (replacing the previous one of that flow) and returns its problems.</summary>
    public async Task<IReadOnlyList<FlowProblem>> SaveAsync(string definitionId, string json, CancellationToken cancellationToken)
    {
        var problems = loader.Load(json, $"draft {definitionId}").Problems;
        var baseVersion = catalog.Find(definitionId)?.Version;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO flows.draft (definition_id, json, problems, base_version) VALUES (@definitionId, @json::jsonb, @problems::jsonb, @baseVersion)
            ON CONFLICT (definition_id) DO UPDATE SET json = excluded.json, problems = excluded.problems, base_version = excluded.base_version, saved_at = now()
            """, new { definitionId, json, baseVersion, problems = JsonSerializer.Serialize(problems.Select(p => new { p.JsonPath, p.Message }), JsonSerializerOptions.Web) });
        return problems;
    }

    /// <summary>The draft's JSON as saved, or null.</summary>
    public async Task<string?> GetAsync(string definitionId, CancellationToken cancellationToken) =>
        (await FindAsync(definitionId, cancellationToken))?.Json;

    /// <summary>The draft of a flow (stale or not), or null.</summary>
    public async Task<FlowDraft?> FindAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<FlowDraft>(
            $"SELECT {Columns} FROM flows.draft WHERE definition_id = @definitionId", new { definitionId });
    }

    /// <summary>Every saved draft (the designer lists flows that exist only as a draft).</summary>
    public async Task<IReadOnlyList<FlowDraft>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<FlowDraft>($"SELECT {Columns} FROM flows.draft ORDER BY definition_id")];
    }

    /// <summary>Whether a newer version than the draft's base was published since it was saved (the file changed on disk).</summary>
    public bool IsStale(FlowDraft draft) =>
        draft.BaseVersion is { } baseVersion && catalog.Find(draft.DefinitionId) is { } current && current.Version > baseVersion;

    public async Task<bool> DeleteAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM flows.draft WHERE definition_id = @definitionId", new { definitionId }) > 0;
    }

    private const string Columns = "definition_id AS DefinitionId, json::text AS Json, saved_at AS SavedAt, base_version AS BaseVersion";
}

/// <summary>A saved draft: its definition JSON, when it was saved and the version in service it was based on.</summary>
public sealed record FlowDraft(string DefinitionId, string Json, DateTime SavedAt, int? BaseVersion);
