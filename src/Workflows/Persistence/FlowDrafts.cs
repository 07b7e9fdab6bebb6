using System.Text.Json;
using Dapper;
using Integration.Workflows.Loading;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>Drafts of flows (<c>flows.draft</c>): saved with their problems, never run, until published.</summary>
public sealed class FlowDrafts(NpgsqlDataSource dataSource, FlowLoader loader)
{
    /// <summary>Saves a draft (replacing the previous one of that flow) and returns its problems.</summary>
    public async Task<IReadOnlyList<FlowProblem>> SaveAsync(string definitionId, string json, CancellationToken cancellationToken)
    {
        var problems = loader.Load(json, $"draft {definitionId}").Problems;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO flows.draft (definition_id, json, problems) VALUES (@definitionId, @json::jsonb, @problems::jsonb)
            ON CONFLICT (definition_id) DO UPDATE SET json = excluded.json, problems = excluded.problems, saved_at = now()
            """, new { definitionId, json, problems = JsonSerializer.Serialize(problems.Select(p => new { p.JsonPath, p.Message }), JsonSerializerOptions.Web) });
        return problems;
    }

    /// <summary>The draft's JSON as saved, or null.</summary>
    public async Task<string?> GetAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>("SELECT json::text FROM flows.draft WHERE definition_id = @definitionId", new { definitionId });
    }

    /// <summary>Every saved draft (the designer lists flows that exist only as a draft).</summary>
    public async Task<IReadOnlyList<FlowDraft>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<FlowDraft>(
            "SELECT definition_id AS DefinitionId, json::text AS Json, saved_at AS SavedAt FROM flows.draft ORDER BY definition_id")];
    }

    public async Task<bool> DeleteAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM flows.draft WHERE definition_id = @definitionId", new { definitionId }) > 0;
    }
}

/// <summary>A saved draft: its definition JSON and when it was saved.</summary>
public sealed record FlowDraft(string DefinitionId, string Json, DateTime SavedAt);
