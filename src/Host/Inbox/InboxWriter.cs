using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Integration.Workflows.Triggers;
using Integration.Workflows.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Integration.Host.Inbox;

/// <summary>
/// Makes deliveries durable in <c>integration.inbox</c>, once per delivery key. Deliveries that arrive together are
/// written together: a few writer loops each take whatever is waiting (up to <see cref="MaxBatch"/>) and insert it in
/// one statement and one commit, so a burst costs a handful of commits instead of one per request, while a lone
/// delivery is written at once. Every caller is answered only after its row is committed.
/// </summary>
internal sealed class InboxWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int Writers = 3;

    private const string InsertBatch = """
        INSERT INTO integration.inbox
            (source, store, topic, delivery_key, webhook_id, event_id, triggered_at, api_version, headers, body, status, error, trace_parent,
             subject, subject_version, subject_fingerprint)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                             $8::text[], $9::jsonb[], $10::bytea[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[],
                             $16::bytea[])
        ON CONFLICT ON CONSTRAINT inbox_delivery_unique DO NOTHING
        RETURNING id, source, store, topic, delivery_key
        """;

    private const string FindExisting = """
        SELECT i.id, i.source, i.store, i.topic, i.delivery_key
        FROM integration.inbox i
        JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(source, store, topic, delivery_key)
          USING (source, store, topic, delivery_key)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<InboxWriter> _logger;
    private readonly InboxArrivals? _arrivals;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false });
    private readonly Task[] _loops;

    public InboxWriter(NpgsqlDataSource dataSource, ILogger<InboxWriter> logger, InboxArrivals? arrivals = null)
    {
        _dataSource = dataSource;
        _logger = logger;
        _arrivals = arrivals;
        _loops = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>
    /// Stores a delivery and waits for its commit. Returns its inbox id and whether the same delivery was already
    /// stored (a concurrent twin waits for the first insert to commit, then finds it).
    /// </summary>
    public async Task<(long Id, bool Duplicate)> AddAsync(
        string source,
        WebhookDelivery delivery,
        IReadOnlyDictionary<string, string> headers,
        byte[] body,
        string? poisonReason,
        CancellationToken cancellationToken)
    {
        // The request's trace, taken here: the writer loops run outside it.
        var pending = new Pending(source, delivery, JsonSerializer.Serialize(headers), body, poisonReason, Activity.Current?.Id);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the write goes ahead even if the caller goes away: the store will redeliver and find it.
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await WriteAsync(batch);
            }
            catch (PostgresException ex) when (batch.Count > 1 && ex.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                // A data error fails the whole statement; write one by one so only the bad delivery fails.
                _logger.LogWarning(ex, "Inbox batch of {Count} refused ({SqlState}); writing its deliveries one by one", batch.Count, ex.SqlState);
                foreach (var single in batch)
                {
                    await WriteOrFailAsync([single]);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                _logger.LogError(ex, "Could not store {Count} webhook deliveries", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private async Task WriteOrFailAsync(List<Pending> batch)
    {
        try
        {
            await WriteAsync(batch);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            batch[0].Completion.TrySetException(ex);
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var n = batch.Count;
        var sources = new string[n];
        var stores = new string[n];
        var topics = new string[n];
        var keys = new string[n];
        var webhookIds = new string?[n];
        var eventIds = new string?[n];
        var triggeredAts = new DateTime?[n];
        var apiVersions = new string?[n];
        var headers = new string[n];
        var bodies = new byte[n][];
        var statuses = new string[n];
        var errors = new string?[n];
        var traces = new string?[n];
        var subjects = new string?[n];
        var subjectVersions = new DateTime?[n];
        var fingerprints = new byte[]?[n];
        for (var i = 0; i < n; i++)
        {
            var (source, delivery, headersJson, body, poison) = (batch[i].Source, batch[i].Delivery, batch[i].HeadersJson, batch[i].Body, batch[i].PoisonReason);
            sources[i] = source;
            stores[i] = delivery.Store;
            topics[i] = delivery.Topic;
            keys[i] = delivery.DeliveryKey;
            webhookIds[i] = delivery.WebhookId;
            eventIds[i] = delivery.EventId;
            triggeredAts[i] = delivery.TriggeredAt?.UtcDateTime;
            apiVersions[i] = delivery.ApiVersion;
            headers[i] = headersJson;
            bodies[i] = body;
            statuses[i] = poison is null ? "received" : "poisoned";
            errors[i] = poison;
            traces[i] = batch[i].TraceParent;
            subjects[i] = delivery.Subject?.Key;
            subjectVersions[i] = delivery.Subject?.Version.UtcDateTime;
            fingerprints[i] = delivery.Fingerprint;
        }

        var ids = new Dictionary<(string, string, string, string), long>(n);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var insert = new NpgsqlCommand(InsertBatch, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = stores, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = topics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = webhookIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = triggeredAts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = apiVersions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = headers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter { Value = bodies, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = errors, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = traces, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = subjects, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = subjectVersions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = fingerprints, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await ReadIdsAsync(insert, ids);
        }

        var inserted = new HashSet<(string, string, string, string)>(ids.Keys);
        // Committed (the insert is its own transaction): this host's dispatcher need not wait for its next poll.
        _arrivals?.Arrived(Enumerable.Range(0, n).Count(i => statuses[i] == "received" && inserted.Contains((sources[i], stores[i], topics[i], keys[i]))));
        if (ids.Count < n)
        {
            // Already stored before (a redelivery), by a concurrent writer, or twice within this batch.
            await using var find = new NpgsqlCommand(FindExisting, connection);
            find.Parameters.Add(new NpgsqlParameter { Value = sources, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            find.Parameters.Add(new NpgsqlParameter { Value = stores, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            find.Parameters.Add(new NpgsqlParameter { Value = topics, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            find.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await ReadIdsAsync(find, ids);
        }

        for (var i = 0; i < n; i++)
        {
            var key = (sources[i], stores[i], topics[i], keys[i]);
            // The first of several twins in one batch is the one inserted; later twins are duplicates.
            var first = inserted.Remove(key);
            if (ids.TryGetValue(key, out var id))
            {
                batch[i].Completion.TrySetResult((id, !first));
            }
            else
            {
                batch[i].Completion.TrySetException(new InvalidOperationException("Inbox row neither inserted nor found"));
            }
        }
    }

    private static async Task ReadIdsAsync(NpgsqlCommand command, Dictionary<(string, string, string, string), long> ids)
    {
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids[(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))] = reader.GetInt64(0);
        }
    }

    private sealed record Pending(string Source, WebhookDelivery Delivery, string HeadersJson, byte[] Body, string? PoisonReason, string? TraceParent)
    {
        public TaskCompletionSource<(long Id, bool Duplicate)> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
