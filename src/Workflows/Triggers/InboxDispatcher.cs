using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Workflows.Triggers;

/// <summary>
/// Feeds stored webhook deliveries to flows. It claims <c>integration.inbox</c> rows with status <c>received</c>
/// (<c>FOR UPDATE SKIP LOCKED</c>, so several hosts share the work without taking the same row), starts every flow in
/// service whose webhook trigger matches the delivery's source, topic and store, stores the new instances, and marks
/// the row <c>done</c> (or <c>ignored</c> when no flow wants it) in the same transaction.
/// </summary>
public sealed class InboxDispatcher(
    NpgsqlDataSource dataSource, FlowCatalog catalog, FlowRunner runner, FlowLeases leases, IEnumerable<Activities.FlowActivity> activities,
    ILogger<InboxDispatcher> logger, TimeProvider time, IOptions<InboxDispatchOptions>? options = null) : BackgroundService
{
    private readonly InboxDispatchOptions _options = options?.Value ?? new InboxDispatchOptions();
    private readonly Dictionary<string, string> _sourceByTriggerType =
        activities.OfType<WebhookTrigger>().ToDictionary(t => t.Descriptor.TypeName, t => t.Source, StringComparer.Ordinal);

    /// <summary>How long to wait when there is nothing to do.</summary>
    public TimeSpan IdleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Loops).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await DispatchOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Inbox dispatch failed; retrying");
                handled = 0;
            }

            if (handled == 0)
            {
                await Task.Delay(IdleDelay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Claims and dispatches one batch; returns how many deliveries it handled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(long Id, string Source, string Store, string Topic, byte[] Body, double Waited, string? TraceParent)>("""
            SELECT id, source, store, topic, body, extract(epoch FROM clock_timestamp() - received_at)::float8, trace_parent FROM integration.inbox
            WHERE status = 'received' ORDER BY id LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """, new { _options.BatchSize }, transaction)).ToList();
        foreach (var row in rows)
        {
            string status;
            string? error = null;
            using var trace = Telemetry.FlowTelemetry.StartDispatch("inbox", row.Id, row.Topic, row.TraceParent);
            try
            {
                status = await DispatchRowAsync(connection, transaction, row, cancellationToken) > 0 ? "done" : "ignored";
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not NpgsqlException and not TimeoutException)
            {
                // A delivery no flow can take (its payload does not parse, a runtime fault) is kept, marked failed with the
                // reason for an operator, and does not stop the dispatcher or the other deliveries of the batch. (Nothing
                // of the failed flow was written; a database error aborts the whole batch instead, which is retried.)
                logger.LogError(ex, "Inbox {InboxId} ({Source} {Topic}) could not be dispatched", row.Id, row.Source, row.Topic);
                status = "failed";
                error = ex.Message;
            }

            await connection.ExecuteAsync(
                "UPDATE integration.inbox SET status = @status, error = @error, processed_at = now(), attempts = attempts + 1 WHERE id = @id",
                new { status, error, id = row.Id }, transaction);
            Telemetry.FlowTelemetry.Delivered(row.Source, row.Topic, status, row.Waited);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task<int> DispatchRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, (long Id, string Source, string Store, string Topic, byte[] Body, double Waited, string? TraceParent) row, CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var (definition, version, trigger) in Matching(row.Source, row.Store, row.Topic))
        {
            if (await FlowInstanceStore.StartedByAsync(connection, transaction, $"inbox:{row.Id}", definition.DefinitionId))
            {
                started++;
                continue;
            }

            var input = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["payload"] = JsonNode.Parse(Encoding.UTF8.GetString(row.Body)),
                ["topic"] = row.Topic,
                ["store"] = row.Store,
                ["inboxId"] = row.Id,
            };
            await using var lease = leases.Begin(definition.DefinitionId, version, $"inbox:{row.Id}");
            var state = await runner.RunAsync(definition, input, trigger, lease.CheckpointAsync, cancellationToken);
            await FlowInstanceStore.SaveAsync(connection, transaction, definition.DefinitionId, version, $"inbox:{row.Id}", state, lease.Owner);
            logger.LogInformation("Inbox {InboxId} ({Source} {Topic}) ran flow {DefinitionId} v{Version}: {Status}",
                row.Id, row.Source, row.Topic, definition.DefinitionId, version, state.Status);
            started++;
        }

        return started;
    }

    private IEnumerable<(Model.FlowDefinition Definition, int Version, string TriggerActivityId)> Matching(string source, string store, string topic)
    {
        foreach (var (definition, version) in catalog.Active)
        {
            foreach (var node in definition.Root.Children)
            {
                if (!_sourceByTriggerType.TryGetValue(node.Type, out var triggerSource) || triggerSource != source)
                {
                    continue;
                }

                var wantedTopic = Expressions.FlowExpression.From(node.Property("topic"))?.Value;
                var wantedStore = Expressions.FlowExpression.From(node.Property("store"))?.Value;
                if ((wantedTopic == "*" || wantedTopic == topic) && (string.IsNullOrEmpty(wantedStore) || string.Equals(wantedStore, store, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return (definition, version, node.Id);
                }
            }
        }
    }
}
