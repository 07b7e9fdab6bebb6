using System.Security.Cryptography;
using System.Text;
using Dapper;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// The flows of <c>flows/</c>: each valid file is published as a new version when its content changed (every version
/// kept in <c>flows.definition</c>; running instances keep theirs); an invalid file is refused with its problems
/// and the last good version of that definition stays in service.
/// </summary>
public sealed class FlowCatalog(NpgsqlDataSource dataSource, FlowLoader loader, ILogger<FlowCatalog> logger) : Execution.IFlowDefinitions
{
    private volatile IReadOnlyList<PublishedFlow> _flows = [];

    public IReadOnlyList<PublishedFlow> Flows => _flows;

    /// <summary>
    /// Flows in service: the valid latest versions, except retracted ones (<c>"isPublished": false</c>), which no
    /// trigger, schedule, event or webhook starts.
    /// </summary>
    public IEnumerable<(FlowDefinition Definition, int Version)> Active => Loaded.Where(f => f.Definition.IsPublished);

    /// <summary>The valid latest version of every flow file, retracted ones included.</summary>
    public IEnumerable<(FlowDefinition Definition, int Version)> Loaded =>
        _flows.Where(f => f.Definition is not null).Select(f => (f.Definition!, f.PublishedVersion));

    /// <summary>The valid latest version of a flow, retracted or not (check <see cref="FlowDefinition.IsPublished"/> before running it).</summary>
    public (FlowDefinition Definition, int Version)? Find(string definitionId) =>
        Loaded.Where(f => f.Definition.DefinitionId == definitionId).Select(f => ((FlowDefinition, int)?)f).FirstOrDefault();

    public async Task LoadAsync(string directory, CancellationToken cancellationToken)
    {
        string[] files = Directory.Exists(directory) ? [.. Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];
        var results = new List<(string File, string Relative, string Text, FlowLoadResult Result)>(files.Length);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
            results.Add((file, relative, text, loader.Load(text, relative)));
        }

        // Which file holds each flow: the valid files first, in path order; a second file with the same definitionId is
        // refused, not published over the first, and a refused file never keeps a flow a valid file holds.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, relative, _, result) in results.Where(r => r.Result.IsValid))
        {
            owners.TryAdd(result.Definition!.DefinitionId, relative);
        }

        var loaded = new List<PublishedFlow>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (file, relative, text, result) in results)
        {
            if (result.IsValid && owners[result.Definition!.DefinitionId] != relative)
            {
                var duplicate = new FlowProblem(relative, "$.definitionId", $"'{result.Definition.DefinitionId}' is already the definitionId of {owners[result.Definition.DefinitionId]}: each flow needs its own");
                logger.LogWarning("Flow refused: {Problem}", duplicate.ToString());
                loaded.Add(new PublishedFlow(file, null, 0, [duplicate]));
                continue;
            }

            if (!result.IsValid)
            {
                foreach (var problem in result.Problems)
                {
                    logger.LogWarning("Flow refused: {Problem}", problem.ToString());
                }

                // The last good version of this file stays in service: the one this host had, or at start the latest
                // published from this file (so a bad file deployed does not stop its flow, nor remove its schedule
                // across the cluster).
                var kept = _flows.FirstOrDefault(f => f.File == file && f.Definition is not null) is { } previous
                    ? (previous.Definition, previous.PublishedVersion)
                    : await LastPublishedAsync(connection, file, DefinitionIdOf(text), cancellationToken);
                if (kept.Definition is { } definition && !owners.TryAdd(definition.DefinitionId, relative))
                {
                    kept = (null, 0);
                }

                if (kept.Definition is not null)
                {
                    logger.LogWarning("Flow {DefinitionId}: version {Version} stays in service until {File} is mended", kept.Definition.DefinitionId, kept.Item2, relative);
                }

                loaded.Add(new PublishedFlow(file, kept.Definition, kept.Item2, result.Problems));
                continue;
            }

            var version = await PublishAsync(connection, result.Definition!, text, file, cancellationToken);
            loaded.Add(new PublishedFlow(file, result.Definition, version, []));
        }

        _flows = loaded;
        logger.LogInformation("Flows in service: {Count} ({Retracted} retracted, {Refused} refused)",
            loaded.Count(f => f.Problems.Count == 0 && f.Definition!.IsPublished), loaded.Count(f => f.Problems.Count == 0 && !f.Definition!.IsPublished), loaded.Count(f => f.Problems.Count > 0));
    }

    // The latest version published from a refused file, else (a file moved, a new release folder) of the flow it names,
    // when it still loads. A flow a valid file holds is never taken (the caller checks).
    private async Task<(FlowDefinition? Definition, int Version)> LastPublishedAsync(NpgsqlConnection connection, string file, string? definitionId, CancellationToken cancellationToken)
    {
        var found = await connection.QuerySingleOrDefaultAsync<(int Version, string Json)>(new CommandDefinition("""
            SELECT version, json::text FROM flows.definition WHERE source_file = @file OR definition_id = @definitionId
            ORDER BY source_file = @file DESC, version DESC LIMIT 1
            """, new { file, definitionId }, cancellationToken: cancellationToken));
        if (found.Version == 0)
        {
            return (null, 0);
        }

        var published = loader.Load(found.Json, $"{Path.GetFileName(file)} (published version {found.Version})");
        return published.IsValid ? (published.Definition, found.Version) : (null, 0);
    }

    private static string? DefinitionIdOf(string text)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(text)?["definitionId"] is System.Text.Json.Nodes.JsonValue id && id.TryGetValue<string>(out var value) ? value : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Every published version of a flow, newest first.</summary>
    public async Task<IReadOnlyList<FlowVersion>> VersionsAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<FlowVersion>("""
            SELECT version AS Version, name AS Name, content_hash AS ContentHash, source_file AS SourceFile, published_at AS PublishedAt,
                   (SELECT count(*) FROM flows.instance i WHERE i.definition_id = d.definition_id AND i.version = d.version) AS Runs
            FROM flows.definition d WHERE definition_id = @definitionId ORDER BY version DESC
            """, new { definitionId })];
    }

    /// <summary>The JSON of one published version, or null.</summary>
    public async Task<string?> VersionJsonAsync(string definitionId, int version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT json::text FROM flows.definition WHERE definition_id = @definitionId AND version = @version", new { definitionId, version });
    }

    private static async Task<int> PublishAsync(NpgsqlConnection connection, FlowDefinition definition, string text, string file, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Hosts starting together publish one version, not one each.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('flows.definition:' || @id))", new { id = definition.DefinitionId }, transaction);
        var latest = await connection.QuerySingleOrDefaultAsync<(int Version, string Hash)>(
            "SELECT version, content_hash FROM flows.definition WHERE definition_id = @id ORDER BY version DESC LIMIT 1", new { id = definition.DefinitionId }, transaction);
        if (latest.Hash == hash)
        {
            return latest.Version;
        }

        var version = latest.Version + 1;
        await connection.ExecuteAsync("""
            INSERT INTO flows.definition (definition_id, version, name, json, content_hash, source_file)
            VALUES (@id, @version, @name, @json::jsonb, @hash, @file)
            """, new { id = definition.DefinitionId, version, name = definition.Name, json = definition.Json.ToJsonString(), hash, file }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}

/// <summary>One published version of a flow and how many runs it has.</summary>
public sealed record FlowVersion(int Version, string? Name, string ContentHash, string? SourceFile, DateTime PublishedAt, long Runs);
