using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Integration.Workflows.Execution;
using Integration.Workflows.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using InboxRow = (long Id, string Source, string Store, string Topic, byte[] Body, double Waited, string? TraceParent, string? Subject);

namespace Integration.Workflows.Triggers;

/// <summary>
/// Feeds stored webhook deliveries to flows. It claims <c>integration.inbox</c> rows with status <c>received</c>
/// (<c>FOR UPDATE SKIP LOCKED</c>, so several hosts share the work without taking the same row), starts every flow in
/// service whose webhook trigger matches the delivery's source, topic and store, stores the new instances, and marks
/// the row <c>done</c> (or <c>ignored</c> when no flow wants it) in the same transaction. A flow whose trigger says
/// <c>onlyNewerVersions</c> (it reads the record again from the store) is not started for a delivery whose record
/// (<c>subject</c>, e.g. <c>order:450789469</c>) a finished run of that flow already read again: one earlier in the
/// same batch (it read after the whole batch had come in), one in a batch that began after this delivery was stored,
/// or one for a later <c>subject_version</c>; nor for a delivery
/// that carries the record as a finished run of that flow found it, nothing else having come between (the same
/// <c>subject_fingerprint</c>: only the version moved). A delivery every flow skipped so is marked <c>superseded</c>,
/// with the earlier delivery named in its note. A trigger's <c>filter</c> (<see cref="TriggerFilter"/>) is asked before
/// anything else: a delivery it refuses starts no run of that flow; one every flow's filter refused is marked
/// <c>ignored</c>, the filters named in its note; a filter that fails on a delivery marks it <c>failed</c> with the
/// reason, after the other flows took it.
/// </summary>
public sealed class InboxDispatcher(
    NpgsqlDataSource dataSource, FlowCatalog catalog, FlowRunner runner, FlowLeases leases, IEnumerable<Activities.FlowActivity> activities,
    ILogger<InboxDispatcher> logger, IOptions<InboxDispatchOptions>? options = null, InboxArrivals? arrivals = null,
    IConfiguration? configuration = null) : BackgroundService
{
    private readonly InboxDispatchOptions _options = options?.Value ?? new InboxDispatchOptions();
    private readonly InboxArrivals _arrivals = arrivals ?? new InboxArrivals(options);
    private readonly Dictionary<string, string> _sourceByTriggerType =
        activities.OfType<WebhookTrigger>().ToDictionary(t => t.Descriptor.TypeName, t => t.Source, StringComparer.Ordinal);

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
                await WaitForWorkAsync(stoppingToken);
            }
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await _arrivals.WaitAsync(_options.Poll, stoppingToken) && _options.Gather > TimeSpan.Zero)
            {
                await Task.Delay(_options.Gather, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>A claimed delivery, with the flows that want it (each with the record it reads again, when it takes only
    /// newer versions) and why the others do not.</summary>
    private sealed class PreparedDelivery(InboxRow row)
    {
        public InboxRow Row { get; } = row;

        public List<(Model.FlowDefinition Definition, int Version, Model.FlowActivityNode Trigger, string? Subject)> Flows { get; } = [];

        /// <summary>Per flow: whether the delivery already started it, and the deliveries that make a run needless.</summary>
        public (bool Started, long? HandledBy, long? UnchangedSince)[] Seen { get; set; } = [];

        public List<string>? Filtered { get; set; }

        public List<string>? FilterFailed { get; set; }

        /// <summary>Why no filter could read the delivery (its payload does not parse): it fails when dispatched.</summary>
        public Exception? Unreadable { get; set; }
    }

    /// <summary>Claims and dispatches one batch; returns how many deliveries it handled (not those left because another
    /// batch is dispatching their record).</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<InboxRow>("""
            SELECT id, source, store, topic, body, extract(epoch FROM clock_timestamp() - received_at)::float8, trace_parent,
                   subject FROM integration.inbox
            WHERE status = 'received' ORDER BY id LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """, new { _options.BatchSize }, transaction)).ToList();
        // The records whose flows ran from the start in this batch and finished cleanly, with the delivery that ran them:
        // each run read its record after the whole batch had come in. Kept for every run of a delivery with a record,
        // whichever trigger started it, as the look-up counts any clean run of the flow for the record.
        var readInBatch = new Dictionary<(string Source, string Store, string Subject, string DefinitionId), long>();
        var busy = await BusySubjectsAsync(connection, transaction, rows);
        // Another batch is dispatching the records of the busy ones: they are left for a later claim, which sees its runs.
        var deliveries = rows.Where(r => !busy.Contains(SubjectLock(r))).Select(Prepare).ToList();
        await LookUpAsync(connection, transaction, deliveries);
        var outcomes = DispatchOutcomes.ForInbox();
        foreach (var delivery in deliveries)
        {
            var row = delivery.Row;
            string status;
            string? error = null;
            using var trace = Telemetry.FlowTelemetry.StartDispatch("inbox", row.Id, row.Topic, row.TraceParent);
            try
            {
                await transaction.SaveAsync(RefusedRunRecord.Savepoint, cancellationToken);
                (status, error) = await DispatchRowAsync(connection, transaction, delivery, readInBatch, cancellationToken) switch
                {
                    { FilterFailed: { } failure } => ("failed", failure),
                    { Started: > 0 } => ("done", null),
                    { Superseded: { } note } => ("superseded", note),
                    { Filtered: { } note } => ("ignored", note),
                    _ => ("ignored", null),
                };
            }
            catch (PostgresException ex) when (RefusedRunRecord.Is(ex))
            {
                // Only this delivery's writes are rolled back, and it is kept, failed, with the reason; its effects
                // elsewhere are idempotent on business keys, so an operator's dispatch after a fix finds them done. Other
                // database errors (the connection, a deadlock, a shutdown) still abort the batch, which is retried.
                await transaction.RollbackAsync(RefusedRunRecord.Savepoint, cancellationToken);
                foreach (var key in readInBatch.Where(r => r.Value == row.Id).Select(r => r.Key).ToList())
                {
                    readInBatch.Remove(key);
                }

                logger.LogError(ex, "Inbox {InboxId} ({Source} {Topic}): its run could not be stored", row.Id, row.Source, row.Topic);
                status = "failed";
                error = await RefusedRunRecord.FaultAsync(connection, transaction, $"inbox:{row.Id}", leases.Owner, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not NpgsqlException and not TimeoutException)
            {
                // A delivery no flow can take (its payload does not parse, a runtime fault) is kept, marked failed with the
                // reason for an operator, and does not stop the dispatcher or the other deliveries of the batch. (Nothing
                // of the failed flow was written; a database error other than refused data aborts the batch instead,
                // which is retried.)
                logger.LogError(ex, "Inbox {InboxId} ({Source} {Topic}) could not be dispatched", row.Id, row.Source, row.Topic);
                status = "failed";
                error = ex.Message;
            }

            outcomes.Add(row.Id, status, error);
            Telemetry.FlowTelemetry.Delivered(row.Source, row.Topic, status, row.Waited);
        }

        await outcomes.SaveAsync(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return deliveries.Count;
    }

    // The records of the batch's deliveries that another batch (a loop of this host or another) is dispatching now. The
    // rest are this batch's until it commits: transaction-scoped advisory locks, taken in a statement of their own, so the
    // checks after them see the runs of a batch that held a record before. Without them two copies of one checkout's
    // deliveries, claimed by two loops at once, would both run the flow.
    private static async Task<HashSet<string?>> BusySubjectsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<InboxRow> rows)
    {
        var keys = rows.Select(SubjectLock).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        return keys.Length == 0
            ? []
            : [.. await connection.QueryAsync<string>(
                "SELECT k FROM unnest(@keys) AS k WHERE NOT pg_try_advisory_xact_lock(hashtext('integration.inbox'), hashtext(k))",
                new { keys }, transaction)];
    }

    private static string? SubjectLock(InboxRow row) => row.Subject is null ? null : $"{row.Source} {row.Store} {row.Subject}";

    // The flows that want the delivery, each trigger's filter asked first: a delivery the flow does not want costs no
    // look-up and leaves no run (orders/updated without refunds). A delivery whose payload a filter cannot read fails
    // when it is dispatched, like one no flow can run.
    private PreparedDelivery Prepare(InboxRow row)
    {
        var delivery = new PreparedDelivery(row);
        Dictionary<string, object?>? filterInput = null;
        try
        {
            foreach (var (definition, version, trigger, onlyNewerVersions) in Matching(row.Source, row.Store, row.Topic))
            {
                var filter = TriggerFilter.Of(trigger);
                if (!filter.TakesEverything)
                {
                    filterInput ??= Input(row);
                    try
                    {
                        if (!filter.Matches(filterInput, configuration))
                        {
                            (delivery.Filtered ??= []).Add($"{definition.DefinitionId}/{trigger.Id}: filtered out ({filter.Description})");
                            continue;
                        }
                    }
                    catch (EventFilterException ex)
                    {
                        logger.LogError(ex, "Inbox {InboxId} ({Source} {Topic}): the filter of flow {DefinitionId}/{Trigger} failed",
                            row.Id, row.Source, row.Topic, definition.DefinitionId, trigger.Id);
                        (delivery.FilterFailed ??= []).Add($"flow {definition.DefinitionId}, trigger {trigger.Id}: filter: {ex.Message}");
                        continue;
                    }
                }

                delivery.Flows.Add((definition, version, trigger, onlyNewerVersions ? row.Subject : null));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivery.Unreadable = ex;
        }

        return delivery;
    }

    // How many flows the delivery started (or had started before a retry); when every flow that wanted it skipped it as
    // already read again, or every one's filter refused it, why (the row's note); the filters that failed on it.
    private async Task<(int Started, string? Superseded, string? Filtered, string? FilterFailed)> DispatchRowAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PreparedDelivery delivery,
        Dictionary<(string Source, string Store, string Subject, string DefinitionId), long> readInBatch, CancellationToken cancellationToken)
    {
        if (delivery.Unreadable is { } unreadable)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unreadable);
        }

        var row = delivery.Row;
        var started = 0;
        List<string>? superseded = null;
        // A flow with two triggers that both take the delivery runs once for it.
        var startedHere = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < delivery.Flows.Count; i++)
        {
            var (definition, version, trigger, subject) = delivery.Flows[i];
            var (alreadyStarted, laterVersion, unchangedSince) = delivery.Seen[i];
            if (alreadyStarted || startedHere.Contains(definition.DefinitionId))
            {
                started++;
                continue;
            }

            if ((subject is not null && readInBatch.TryGetValue((row.Source, row.Store, subject, definition.DefinitionId), out var inBatch) ? inBatch : laterVersion) is { } earlier)
            {
                // The flow reads the record again from the store: a finished run that read it after this delivery came
                // (earlier in this batch), or for a later version of it, already saw what this delivery carries, so a run
                // now would change nothing. Shopify sends orders/create, orders/updated and often orders/paid of one
                // checkout at once.
                logger.LogInformation("Inbox {InboxId} ({Source} {Topic}) not run by flow {DefinitionId}: {Subject} was read again by the finished run of inbox {EarlierInboxId}",
                    row.Id, row.Source, row.Topic, definition.DefinitionId, subject, earlier);
                (superseded ??= []).Add($"{definition.DefinitionId}: {subject} read again by the finished run of inbox {earlier}");
                continue;
            }

            if (unchangedSince is { } previous)
            {
                // Only the version moved (the store's echo of a field the host wrote, which the payload does not carry),
                // and the flow handled the record as it was.
                logger.LogInformation("Inbox {InboxId} ({Source} {Topic}) not run by flow {DefinitionId}: {Subject} is unchanged since inbox {EarlierInboxId}",
                    row.Id, row.Source, row.Topic, definition.DefinitionId, subject, previous);
                (superseded ??= []).Add($"{definition.DefinitionId}: {subject} unchanged since inbox {previous}");
                continue;
            }

            var input = Input(row);
            await using var lease = leases.Begin(definition.DefinitionId, version, $"inbox:{row.Id}");
            var state = await runner.RunAsync(definition, input, trigger.Id, lease.CheckpointAsync, cancellationToken);
            await FlowInstanceStore.SaveAsync(connection, transaction, definition.DefinitionId, version, $"inbox:{row.Id}", state, lease.Owner, stored: lease.Stored);
            logger.LogInformation("Inbox {InboxId} ({Source} {Topic}) ran flow {DefinitionId} v{Version}: {Status}",
                row.Id, row.Source, row.Topic, definition.DefinitionId, version, state.Status);
            if (row.Subject is not null && state.Status == FlowRunStatus.Finished && state.Incidents.Count == 0)
            {
                readInBatch[(row.Source, row.Store, row.Subject, definition.DefinitionId)] = row.Id;
            }

            startedHere.Add(definition.DefinitionId);
            started++;
        }

        return (started,
            started == 0 && superseded is not null ? string.Join("; ", superseded) : null,
            started == 0 && superseded is null && delivery.Filtered is not null ? string.Join("; ", delivery.Filtered) : null,
            delivery.FilterFailed is null ? null : string.Join("; ", delivery.FilterFailed));
    }

    // What a webhook trigger's filter sees: its envelope and the payload (one parse for all the flows' filters).
    private static Dictionary<string, object?> Input(InboxRow row) => new(StringComparer.Ordinal)
    {
        ["payload"] = JsonNode.Parse(Encoding.UTF8.GetString(row.Body)),
        ["topic"] = row.Topic,
        ["store"] = row.Store,
        ["inboxId"] = row.Id,
    };

    // One statement for the whole batch, per delivery and flow that wants it: whether this delivery already started the
    // flow (a retried batch), and, for a flow that takes only newer versions (a subject is given):
    // - a delivery of the same record whose run of the flow finished without an incident and read the record after this
    //   delivery came: it is of a strictly later version (not the same version: store versions are whole seconds, and
    //   two changes in one second share one), or its batch began after this delivery was stored (processed_at is the
    //   batch transaction's start; a copy left while another batch held the record, which ran a later copy first). The
    //   run's own creation bounds it: a delivery handed back after its run is done again without one, at a new
    //   processed_at, while its run read the record long before;
    // - the latest earlier delivery of the record with the same fingerprint whose run of the flow finished without an
    //   incident, when no delivery of another fingerprint (or none) lies between it and this one. Deliveries of its own
    //   version count as between, whichever came first: their order of arrival is not the order of the changes.
    // Record ids are the store's, so only deliveries of the same source and store count. Read before any run of the
    // batch: what a run of this batch would add (a delivery earlier in it, read again) the dispatcher knows itself
    // (readInBatch), and it takes precedence.
    private static async Task LookUpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PreparedDelivery> deliveries)
    {
        var asked = deliveries.Where(d => d.Unreadable is null)
            .SelectMany(d => d.Flows.Select((f, i) => (Delivery: d, Flow: i, d.Row.Id, f.Definition.DefinitionId, f.Subject)))
            .ToList();
        foreach (var delivery in deliveries)
        {
            delivery.Seen = new (bool, long?, long?)[delivery.Flows.Count];
        }

        if (asked.Count == 0)
        {
            return;
        }

        var found = await connection.QueryAsync<(long, bool, long?, long?)>("""
            SELECT q.n,
                   -- A cancelled run does not count: a delivery handed back after its incident was cancelled runs again.
                   EXISTS (SELECT 1 FROM flows.instance WHERE trigger = 'inbox:' || q.id AND definition_id = q.definition_id AND status <> 'Cancelled'),
                   (SELECT i.id FROM integration.inbox i
                    JOIN flows.instance f ON f.trigger = 'inbox:' || i.id AND f.definition_id = q.definition_id
                    WHERE q.subject IS NOT NULL AND i.source = r.source AND i.store = r.store AND i.subject = q.subject
                      AND (i.subject_version > r.subject_version OR LEAST(i.processed_at, f.created_at) > r.received_at)
                      AND f.status = 'Finished' AND f.incident_count = 0
                    LIMIT 1),
                   (SELECT d.id FROM integration.inbox d
                    JOIN flows.instance f ON f.trigger = 'inbox:' || d.id AND f.definition_id = q.definition_id
                    WHERE r.subject_fingerprint IS NOT NULL AND q.subject IS NOT NULL
                      AND d.source = r.source AND d.store = r.store AND d.subject = q.subject AND d.subject_fingerprint = r.subject_fingerprint
                      AND (d.subject_version, d.id) < (r.subject_version, r.id)
                      AND f.status = 'Finished' AND f.incident_count = 0
                      AND NOT EXISTS (
                          SELECT 1 FROM integration.inbox x
                          WHERE x.source = r.source AND x.store = r.store AND x.subject = q.subject
                            AND x.subject_version >= d.subject_version AND (x.subject_version, x.id) < (r.subject_version, r.id)
                            AND x.subject_fingerprint IS DISTINCT FROM r.subject_fingerprint)
                    ORDER BY d.subject_version DESC, d.id DESC
                    LIMIT 1)
            FROM unnest(@ids::bigint[], @definitionIds::text[], @subjects::text[]) WITH ORDINALITY AS q(id, definition_id, subject, n)
            JOIN integration.inbox r ON r.id = q.id
            """, new
        {
            ids = asked.Select(a => a.Id).ToArray(),
            definitionIds = asked.Select(a => a.DefinitionId).ToArray(),
            subjects = asked.Select(a => a.Subject).ToArray(),
        }, transaction);
        foreach (var (n, started, handledBy, unchangedSince) in found)
        {
            var (delivery, flow, _, _, _) = asked[(int)n - 1];
            delivery.Seen[flow] = (started, handledBy, unchangedSince);
        }
    }

    private IEnumerable<(Model.FlowDefinition Definition, int Version, Model.FlowActivityNode Trigger, bool OnlyNewerVersions)> Matching(string source, string store, string topic)
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
                    var onlyNewer = string.Equals(Expressions.FlowExpression.From(node.Property("onlyNewerVersions"))?.Value, "true", StringComparison.OrdinalIgnoreCase);
                    yield return (definition, version, node, onlyNewer);
                }
            }
        }
    }
}
