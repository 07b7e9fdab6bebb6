using System.Collections.Concurrent;
using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// Resumes suspended runs whose timed bookmark (<c>Elsa.Delay</c>) is due, on whichever host gets there first: due
/// runs are claimed with <c>FOR UPDATE SKIP LOCKED</c>, resumed with the definition version they started with, and
/// stored again in the same transaction. Because the state is stored at every suspension, a run survives the host
/// that started it.
/// </summary>
public sealed class BookmarkResumer(
    NpgsqlDataSource dataSource, FlowLoader loader, FlowRunner runner, TimeProvider time, ILogger<BookmarkResumer> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(string, int), FlowDefinition> _definitions = new();

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ResumeDueAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Resuming due runs failed; retrying");
            }

            await Task.Delay(PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<int> ResumeDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<StoredRun>("""
            SELECT i.id AS Id, i.definition_id AS DefinitionId, i.version AS Version, i.correlation_id AS CorrelationId, i.trigger AS Trigger,
                   i.input::text AS Input, i.output::text AS Output, i.variables::text AS Variables, i.bookmarks::text AS Bookmarks,
                   i.journal::text AS Journal, i.console::text AS Console, i.incident_count AS IncidentCount, d.json::text AS DefinitionJson
            FROM flows.instance i JOIN flows.definition d ON d.definition_id = i.definition_id AND d.version = i.version
            WHERE i.status = 'Suspended' AND i.next_resume_at <= @now
            ORDER BY i.next_resume_at LIMIT 20
            FOR UPDATE OF i SKIP LOCKED
            """, new { now = time.GetUtcNow().UtcDateTime }, transaction)).ToList();
        foreach (var run in due)
        {
            var definition = _definitions.GetOrAdd((run.DefinitionId, run.Version), _ =>
                loader.Load(run.DefinitionJson, $"{run.DefinitionId} v{run.Version}").Definition
                ?? throw new InvalidOperationException($"Stored definition {run.DefinitionId} v{run.Version} no longer loads"));
            var state = FlowInstanceStore.Restore(run);
            if (run.Trigger is { } trigger && trigger.StartsWith("inbox:", StringComparison.Ordinal)
                && await connection.ExecuteScalarAsync<byte[]?>("SELECT body FROM integration.inbox WHERE id = @id", new { id = long.Parse(trigger[6..], System.Globalization.CultureInfo.InvariantCulture) }, transaction) is { } body)
            {
                // The run kept a reference to its delivery; its payload is read again from the inbox.
                state.Input["payload"] = System.Text.Json.Nodes.JsonNode.Parse(body);
            }

            foreach (var bookmark in state.Bookmarks.Where(b => b.ResumeAt <= time.GetUtcNow()).ToList())
            {
                state = await runner.ResumeAsync(definition, state, bookmark, cancellationToken);
            }

            state.Input.Remove("payload");
            await FlowInstanceStore.SaveAsync(connection, transaction, run.DefinitionId, run.Version, run.Trigger, state);
            logger.LogInformation("Resumed run {InstanceId} of {DefinitionId} v{Version}: {Status}", run.Id, run.DefinitionId, run.Version, state.Status);
        }

        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }
}
