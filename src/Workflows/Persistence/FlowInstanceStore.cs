using System.Text.Json;
using Dapper;
using Integration.Workflows.Execution;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>Run instances and their incidents in <c>flows.instance</c> and <c>flows.incident</c>.</summary>
public sealed class FlowInstanceStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>
    /// Stores a run's state inside the caller's transaction (the one that also marks its trigger done). A run still
    /// in flight (a checkpoint) keeps the lease of <paramref name="owner"/>; a run that stopped gives it up. A run
    /// whose lease another host holds is left alone: returns false. The lease runs <paramref name="leaseTtl"/> from the
    /// database's clock, never a host's: hosts whose clocks disagree still agree on when a lease ran out. A run stored
    /// before (<paramref name="stored"/>) whose row is gone was deleted meanwhile (cancelled, then deleted by an
    /// operator): it is not stored anew (the row the statement made is taken out again in the same transaction), false.
    /// </summary>
    public static async Task<bool> SaveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string definitionId, int version, string? trigger, FlowRunState state,
        string? owner = null, TimeSpan? leaseTtl = null, bool stored = false)
    {
        var payloads = MoveLargeValues(state);
        // A delivery's payload stays in its inbox row; the run keeps a reference to it, not a copy.
        var input = trigger is not null && trigger.StartsWith("inbox:", StringComparison.Ordinal) ? state.Input.Where(p => p.Key != "payload").ToDictionary() : state.Input;
        var inFlight = state.Status == FlowRunStatus.Running;
        // The run and its large values in one statement; the values only when the run was saved (its lease held).
        var saved = await connection.ExecuteScalarAsync<int>("""
            WITH saved AS (
                INSERT INTO flows.instance (id, definition_id, version, status, correlation_id, trigger, input, output, variables, bookmarks, journal,
                    incident_count, next_resume_at, console, finished_at, lease_owner, lease_expires_at, resume_point, bookmark_hashes)
                VALUES (@id, @definitionId, @version, @status, @correlationId, @trigger, @input::json, @output::json, @variables::json, @bookmarks::jsonb, @journal::json,
                        @incidents, @nextResumeAt, @console::jsonb, CASE WHEN @status IN ('Finished', 'Faulted') THEN now() END, @leaseOwner, now() + @leaseTtl::interval, @resumePoint::jsonb, @bookmarkHashes)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, correlation_id = excluded.correlation_id, output = excluded.output,
                    variables = excluded.variables, bookmarks = excluded.bookmarks, journal = excluded.journal, incident_count = excluded.incident_count,
                    next_resume_at = excluded.next_resume_at, console = excluded.console, updated_at = now(), finished_at = excluded.finished_at,
                    lease_owner = excluded.lease_owner, lease_expires_at = excluded.lease_expires_at, resume_point = excluded.resume_point,
                    bookmark_hashes = excluded.bookmark_hashes
                WHERE flows.instance.lease_owner IS NOT DISTINCT FROM @owner AND flows.instance.status <> 'Cancelled'
                RETURNING xmax = 0 AS inserted
            ), payload AS (
                INSERT INTO flows.run_payload (instance_id, key, json)
                SELECT @id, p.key, p.json::json FROM unnest(@payloadKeys, @payloadJsons) AS p(key, json) WHERE EXISTS (SELECT 1 FROM saved)
                ON CONFLICT DO NOTHING
            )
            SELECT coalesce((SELECT CASE WHEN inserted THEN 2 ELSE 1 END FROM saved), 0)
            """, new
        {
            id = Guid.Parse(state.InstanceId),
            definitionId,
            version,
            status = state.Status.ToString(),
            correlationId = state.CorrelationId,
            trigger,
            input = JsonSerializer.Serialize(input, Json),
            output = JsonSerializer.Serialize(state.Output, Json),
            variables = JsonSerializer.Serialize(
                state.InMemoryVariables is { Count: > 0 } inMemory ? state.Variables.Where(v => !inMemory.Contains(v.Key)).ToDictionary() : state.Variables, Json),
            bookmarks = JsonbText.Of(JsonSerializer.Serialize(state.Bookmarks, Json)),
            journal = JsonSerializer.Serialize(state.Journal, Json),
            incidents = state.IncidentsBefore + state.Incidents.Count,
            nextResumeAt = state.Status == FlowRunStatus.Suspended ? state.Bookmarks.Where(b => b.ResumeAt is not null).Min(b => b.ResumeAt)?.UtcDateTime : null,
            console = JsonbText.Of(JsonSerializer.Serialize(state.Console, Json)),
            owner,
            leaseOwner = inFlight ? owner : null,
            leaseTtl = inFlight ? leaseTtl : null,
            resumePoint = inFlight && state.Resume is not null ? JsonbText.Of(JsonSerializer.Serialize(state.Resume, Json)) : null,
            bookmarkHashes = state.Bookmarks.Where(b => b.ResumeAt is null).Select(b => Activities.BookmarkHash.Of(b.Name)).Distinct().ToArray() is { Length: > 0 } hashes ? hashes : null,
            payloadKeys = payloads.Select(p => p.Key).ToArray(),
            payloadJsons = payloads.Select(p => p.Json).ToArray(),
        }, transaction);
        if (saved == 2 && stored)
        {
            await connection.ExecuteAsync("DELETE FROM flows.run_payload WHERE instance_id = @id; DELETE FROM flows.instance WHERE id = @id",
                new { id = Guid.Parse(state.InstanceId) }, transaction);
            return false;
        }

        if (saved == 0)
        {
            return false;
        }

        // A run started by a delivery (inbox:ID) may stand for the open incidents of earlier deliveries of the same record.
        var inboxId = trigger is not null && trigger.StartsWith("inbox:", StringComparison.Ordinal) && long.TryParse(trigger.AsSpan(6), out var inbox) ? inbox : (long?)null;
        foreach (var incident in state.Incidents.Skip(state.IncidentsSaved))
        {
            // An open incident of an earlier run of the flow started by a delivery of the same record (an order the store
            // delivers again, the inbox's subject), at the same step with the same message, is superseded by this one,
            // which stands for it: the flows read the record again, so retrying the newest does what retrying theirs
            // would, and a record that keeps failing the same way leaves one incident open. Runs not started by a
            // delivery with a subject (refunds, ERP events, schedules) are left alone: theirs may be of other payloads.
            // One being retried now (locked) is skipped, never waited for.
            await connection.ExecuteAsync(inboxId is null ? InsertIncident : $$"""
                WITH added AS ({{InsertIncident}} RETURNING id),
                older AS (
                    SELECT o.id FROM integration.inbox mine
                    JOIN integration.inbox m ON m.subject = mine.subject AND m.source = mine.source AND m.store = mine.store
                    JOIN flows.instance r ON r.trigger = 'inbox:' || m.id AND r.definition_id = @definitionId AND r.id <> @id
                    JOIN flows.incident o ON o.instance_id = r.id AND o.status = 'Open' AND o.activity_id = @ActivityId AND o.message = @Message
                    WHERE mine.id = @inboxId AND mine.subject IS NOT NULL
                    FOR UPDATE OF o SKIP LOCKED)
                UPDATE flows.incident SET status = 'Superseded', superseded_by = (SELECT id FROM added) WHERE id IN (SELECT id FROM older)
                """, new
            {
                id = Guid.Parse(state.InstanceId), definitionId, inboxId,
                incident.ActivityId, incident.ActivityType, Message = incident.Message.Replace('\0', '\uFFFD'), incident.ExceptionType, incident.Attempt, incident.Transient,
                loops = incident.Loops is { Count: > 0 } loops ? JsonSerializer.Serialize(loops, Json) : null,
                input = incident.Input is null ? null : JsonbText.Of(Truncated(JsonSerializer.SerializeToNode(incident.Input, Json))),
            }, transaction);
        }

        state.IncidentsSaved = state.Incidents.Count;
        return true;
    }

    private const string InsertIncident = """
        INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, exception_type, attempt, input, transient, loops)
        VALUES (@id, @ActivityId, @ActivityType, @Message, @ExceptionType, @Attempt, @input::jsonb, @Transient, @loops::jsonb)
        """;

    /// <summary><see cref="SaveAsync"/> in a transaction of its own.</summary>
    public static async Task<bool> SaveCommittedAsync(
        NpgsqlDataSource dataSource, string definitionId, int version, string? trigger, FlowRunState state, string? owner, TimeSpan? leaseTtl,
        bool stored, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var saved = await SaveAsync(connection, transaction, definitionId, version, trigger, state, owner, leaseTtl, stored);
        if (saved)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return saved;
    }

    /// <summary>
    /// Faults a run this host still holds (leased to <paramref name="owner"/>, still Running), found by its id or by its
    /// trigger, with an incident on the host's pseudo-activity <paramref name="activityId"/> (e.g. <c>(resume)</c>,
    /// <c>(store)</c>). A run taken over meanwhile or cancelled is not ours to fault: false then.
    /// </summary>
    internal static async Task<bool> FaultHeldAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid? id, string? trigger, string owner, string activityId, string message, string exceptionType) =>
        await connection.ExecuteAsync("""
            WITH faulted AS (
                UPDATE flows.instance SET status = 'Faulted', lease_owner = NULL, lease_expires_at = NULL, next_resume_at = NULL,
                    incident_count = incident_count + 1, updated_at = now(), finished_at = now()
                WHERE (id = @id OR trigger = @trigger) AND lease_owner = @owner AND status = 'Running'
                RETURNING id)
            INSERT INTO flows.incident (instance_id, activity_id, activity_type, message, exception_type)
            SELECT id, @activityId, '(host)', @message, @exceptionType FROM faulted
            """, new { id, trigger, owner, activityId, message, exceptionType }, transaction) > 0;

    /// <summary>Journal values larger than this are stored in <c>flows.run_payload</c> and referenced.</summary>
    public const int InlineValueBytes = 2048;

    // Values of new journal entries too large to keep inline are replaced by {"$payload": key, "bytes": n}.
    private static List<(string Key, string Json)> MoveLargeValues(FlowRunState state)
    {
        var moved = new List<(string, string)>();
        for (var i = state.JournalSaved; i < state.Journal.Count; i++)
        {
            Move(i, "in", state.Journal[i].Inputs);
            Move(i, "out", state.Journal[i].Outputs);
        }

        state.JournalSaved = state.Journal.Count;
        return moved;

        void Move(int index, string side, Dictionary<string, object?>? values)
        {
            if (values is null)
            {
                return;
            }

            foreach (var (name, value) in values.ToList())
            {
                var json = value is null ? "null" : JsonSerializer.Serialize(value, Json);
                if (json.Length > InlineValueBytes)
                {
                    var key = $"{index}:{side}:{name}";
                    moved.Add((key, json));
                    values[name] = new System.Text.Json.Nodes.JsonObject { ["$payload"] = key, ["bytes"] = json.Length };
                }
            }
        }
    }

    // An incident keeps its input, each value cut to the inline size (the full values are in the journal).
    private static string? Truncated(System.Text.Json.Nodes.JsonNode? input)
    {
        if (input is not System.Text.Json.Nodes.JsonObject values)
        {
            return input?.ToJsonString();
        }

        foreach (var (name, value) in values.ToList())
        {
            var json = value?.ToJsonString() ?? "null";
            if (json.Length > InlineValueBytes)
            {
                values[name] = json[..InlineValueBytes] + $"... ({json.Length} bytes)";
            }
        }

        return values.ToJsonString();
    }

    /// <summary>A value of a run's journal stored apart (<c>{"$payload": key}</c>), or null.</summary>
    public async Task<string?> PayloadAsync(Guid id, string key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT json::text FROM flows.run_payload WHERE instance_id = @id AND key = @key", new { id, key });
    }

    /// <summary>Reads a stored run back (to resume it): its variables, input, output, journal and bookmarks.</summary>
    internal static FlowRunState Restore(StoredRun run)
    {
        var state = new FlowRunState
        {
            InstanceId = run.Id.ToString("N"),
            Input = JsonSerializer.Deserialize<Dictionary<string, object?>>(run.Input ?? "{}", Json) ?? [],
            CorrelationId = run.CorrelationId,
            // Earlier incidents stay in flows.incident; only the ones this session raises are added.
            IncidentsBefore = run.IncidentCount,
        };
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(run.Variables ?? "{}", Json) ?? [])
        {
            state.Variables[name] = Plain(value);
        }

        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, object?>>(run.Output ?? "{}", Json) ?? [])
        {
            state.Output[name] = value;
        }

        state.Journal.AddRange(JsonSerializer.Deserialize<List<JournalEntry>>(run.Journal ?? "[]", Json) ?? []);
        state.Console.AddRange(JsonSerializer.Deserialize<List<string>>(run.Console ?? "[]", Json) ?? []);
        state.Bookmarks.AddRange(JsonSerializer.Deserialize<List<Activities.Bookmark>>(run.Bookmarks ?? "[]", Json) ?? []);
        state.Resume = run.ResumePoint is null ? null : JsonSerializer.Deserialize<ResumePoint>(run.ResumePoint, Json);
        state.JournalSaved = state.Journal.Count;
        state.Status = FlowRunStatus.Suspended;
        return state;
    }

    /// <summary>
    /// <see cref="Restore"/> with the outputs of the activities that ran, read from the journal (large values from
    /// <c>flows.run_payload</c>): a run resumed on another host or retried after a restart goes on with
    /// <c>getOutputFrom</c> seeing what the activities before its resume point produced. A run whose journal stopped
    /// recording (over its limit) has the outputs it recorded.
    /// </summary>
    internal static Task<FlowRunState> RestoreAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, StoredRun run, CancellationToken cancellationToken) =>
        RestoreAsync(run, keys => ReadPayloadsAsync(connection, transaction, run.Id, keys, cancellationToken));

    /// <summary><see cref="RestoreAsync(NpgsqlConnection, NpgsqlTransaction?, StoredRun, CancellationToken)"/> on a connection of its own, opened only when a value is stored apart.</summary>
    internal static Task<FlowRunState> RestoreAsync(NpgsqlDataSource dataSource, StoredRun run, CancellationToken cancellationToken) =>
        RestoreAsync(run, async keys =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await ReadPayloadsAsync(connection, null, run.Id, keys, cancellationToken);
        });

    private static async Task<Dictionary<string, string>> ReadPayloadsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, string[] keys, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string Key, string Json)>(new CommandDefinition(
            "SELECT key, json::text FROM flows.run_payload WHERE instance_id = @id AND key = ANY(@keys)", new { id, keys }, transaction, cancellationToken: cancellationToken)))
        .ToDictionary(p => p.Key, p => p.Json, StringComparer.Ordinal);

    private static async Task<FlowRunState> RestoreAsync(StoredRun run, Func<string[], Task<Dictionary<string, string>>> readPayloads)
    {
        var state = Restore(run);
        var stored = new List<(Dictionary<string, object?> Outputs, string Name, string Key)>();
        foreach (var entry in state.Journal.Where(e => e.Outputs is not null && e.Error is null))
        {
            if (!state.ActivityOutputs.TryGetValue(entry.ActivityId, out var outputs))
            {
                state.ActivityOutputs[entry.ActivityId] = outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            }

            foreach (var (name, value) in entry.Outputs!)
            {
                if (value is JsonElement { ValueKind: JsonValueKind.Object } reference && reference.TryGetProperty("$payload", out var key) && key.ValueKind == JsonValueKind.String)
                {
                    stored.Add((outputs, name, key.GetString()!));
                }
                else
                {
                    outputs[name] = value is JsonElement element ? Plain(element) : value;
                }
            }
        }

        if (stored.Count > 0)
        {
            var payloads = await readPayloads([.. stored.Select(s => s.Key).Distinct()]);
            foreach (var (outputs, name, key) in stored)
            {
                outputs[name] = payloads.TryGetValue(key, out var json) ? Plain(JsonSerializer.Deserialize<JsonElement>(json, Json)) : null;
            }
        }

        return state;
    }

    // Stored JSON as the runtime holds values: text, numbers and booleans as such, objects and arrays as elements.
    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDecimal(),
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value,
    };

    public async Task<IReadOnlyList<FlowRunSummary>> ListAsync(string? definitionId, string? status, string? correlationId, int limit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<FlowRunSummary>("""
            SELECT id AS Id, definition_id AS DefinitionId, version AS Version, status AS Status, correlation_id AS CorrelationId, trigger AS Trigger,
                   incident_count AS IncidentCount, created_at AS CreatedAt, finished_at AS FinishedAt
            FROM flows.instance
            WHERE (@definitionId::text IS NULL OR definition_id = @definitionId) AND (@status::text IS NULL OR status = @status)
              AND (@correlationId::text IS NULL OR correlation_id = @correlationId)
            ORDER BY created_at DESC LIMIT @limit
            """, new { definitionId, status, correlationId, limit })];
    }

    /// <summary>
    /// A page of runs, by definition, status, correlation id, version, incidents or a search term (run id, definition
    /// id or name, correlation id), ordered by <c>created</c>, <c>updated</c>, <c>finished</c> or <c>name</c>.
    /// </summary>
    public async Task<FlowRunPage> PageAsync(FlowRunQuery query, CancellationToken cancellationToken)
    {
        var order = query.OrderBy switch
        {
            "updated" => "i.updated_at",
            "finished" => "i.finished_at",
            "name" => "coalesce(d.name, i.definition_id)",
            _ => "i.created_at",
        };
        var where = """
            FROM flows.instance i JOIN flows.definition d ON d.definition_id = i.definition_id AND d.version = i.version
            WHERE (@definitionIds::text[] IS NULL OR i.definition_id = ANY(@definitionIds)) AND (@statuses::text[] IS NULL OR i.status = ANY(@statuses))
              AND (@correlationId::text IS NULL OR i.correlation_id = @correlationId) AND (@version::int IS NULL OR i.version = @version)
              AND (@hasIncidents::bool IS NULL OR (i.incident_count > 0) = @hasIncidents)
              AND (@search::text IS NULL OR i.id::text ILIKE @search OR i.definition_id ILIKE @search OR d.name ILIKE @search OR i.correlation_id ILIKE @search)
            """;
        var parameters = new
        {
            definitionIds = query.DefinitionIds is { Count: > 0 } ids ? ids.ToArray() : null,
            statuses = query.Statuses is { Count: > 0 } statuses ? statuses.ToArray() : null,
            query.CorrelationId,
            query.Version,
            query.HasIncidents,
            search = string.IsNullOrWhiteSpace(query.SearchTerm) ? null : "%" + query.SearchTerm.Trim().Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%",
            query.Skip,
            query.Take,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>("SELECT count(*) " + where, parameters);
        var items = await connection.QueryAsync<FlowRunRow>($"""
            SELECT i.id AS Id, i.definition_id AS DefinitionId, i.version AS Version, d.name AS Name, i.status AS Status, i.correlation_id AS CorrelationId,
                   i.incident_count AS IncidentCount, i.created_at AS CreatedAt, i.updated_at AS UpdatedAt, i.finished_at AS FinishedAt
            {where}
            ORDER BY {order} {(query.Descending ? "DESC NULLS LAST" : "ASC NULLS FIRST")}, i.id
            OFFSET @Skip LIMIT @Take
            """, parameters);
        return new FlowRunPage([.. items], total);
    }

    public async Task<JsonElement?> GetAsync(Guid id)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var json = await connection.ExecuteScalarAsync<string?>("""
            SELECT json_build_object('id', id, 'definitionId', definition_id, 'version', version, 'status', status, 'correlationId', correlation_id,
                   'trigger', trigger, 'input', input, 'output', output, 'variables', variables, 'bookmarks', bookmarks, 'journal', journal,
                   'incidents', (SELECT coalesce(json_agg(json_build_object('id', i.id, 'activityId', i.activity_id, 'activityType', i.activity_type,
                                 'message', i.message, 'attempt', i.attempt, 'status', i.status, 'input', i.input, 'createdAt', i.created_at, 'transient', i.transient, 'supersededBy', i.superseded_by)), '[]') FROM flows.incident i WHERE i.instance_id = flows.instance.id),
                   'createdAt', created_at, 'updatedAt', updated_at, 'finishedAt', finished_at)::text
            FROM flows.instance WHERE id = @id
            """, new { id });
        return json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The open incidents of a flow, an activity or a kind (transient or not), oldest first.</summary>
    public async Task<IReadOnlyList<long>> OpenIncidentIdsAsync(
        string? definitionId, string? activityId, bool? transient, int limit, CancellationToken cancellationToken, string? correlationId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT i.id FROM flows.incident i JOIN flows.instance f ON f.id = i.instance_id
            WHERE i.status = 'Open' AND (@definitionId::text IS NULL OR f.definition_id = @definitionId)
              AND (@activityId::text IS NULL OR i.activity_id = @activityId) AND (@transient::bool IS NULL OR i.transient = @transient)
              AND (@correlationId::text IS NULL OR f.correlation_id = @correlationId)
            ORDER BY i.id LIMIT @limit
            """, new { definitionId, activityId, transient, limit, correlationId }, cancellationToken: cancellationToken))];
    }

    /// <summary>Newest first; <paramref name="definitionId"/> and <paramref name="correlationId"/> narrow to one flow or one business key.</summary>
    public async Task<IReadOnlyList<FlowIncidentSummary>> IncidentsAsync(string? status, int limit, string? definitionId = null, string? correlationId = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<FlowIncidentSummary>("""
            SELECT i.id AS Id, i.instance_id AS InstanceId, f.definition_id AS DefinitionId, i.activity_id AS ActivityId, i.activity_type AS ActivityType,
                   i.message AS Message, i.attempt AS Attempt, i.status AS Status, i.created_at AS CreatedAt, i.transient AS Transient,
                   f.correlation_id AS CorrelationId
            FROM flows.incident i JOIN flows.instance f ON f.id = i.instance_id
            WHERE (@status::text IS NULL OR i.status = @status)
              AND (@definitionId::text IS NULL OR f.definition_id = @definitionId)
              AND (@correlationId::text IS NULL OR f.correlation_id = @correlationId)
            ORDER BY i.created_at DESC, i.id DESC LIMIT @limit
            """, new { status, limit, definitionId, correlationId })];
    }
}

internal sealed record StoredRun(Guid Id, string DefinitionId, int Version, string? CorrelationId, string? Trigger, string? Input, string? Output,
    string? Variables, string? Bookmarks, string? Journal, string? Console, int IncidentCount, string DefinitionJson, string? ResumePoint = null)
{
    /// <summary>The columns a <see cref="StoredRun"/> is read from (<c>i</c>: the instance, <c>d</c>: its definition).</summary>
    public const string Columns = """
        i.id AS Id, i.definition_id AS DefinitionId, i.version AS Version, i.correlation_id AS CorrelationId, i.trigger AS Trigger,
        i.input::text AS Input, i.output::text AS Output, i.variables::text AS Variables, i.bookmarks::text AS Bookmarks,
        i.journal::text AS Journal, i.console::text AS Console, i.incident_count AS IncidentCount, d.json::text AS DefinitionJson,
        i.resume_point::text AS ResumePoint
        """;
}

public sealed record FlowRunSummary(Guid Id, string DefinitionId, int Version, string Status, string? CorrelationId, string? Trigger, int IncidentCount, DateTime CreatedAt, DateTime? FinishedAt);

public sealed record FlowIncidentSummary(
    long Id, Guid InstanceId, string DefinitionId, string ActivityId, string ActivityType, string Message, int Attempt, string Status, DateTime CreatedAt, bool Transient,
    string? CorrelationId = null);

/// <summary>Which runs a page holds: filters (null: any), order and window.</summary>
public sealed record FlowRunQuery(
    IReadOnlyCollection<string>? DefinitionIds = null, IReadOnlyCollection<string>? Statuses = null, string? CorrelationId = null, int? Version = null,
    bool? HasIncidents = null, string? SearchTerm = null, string OrderBy = "created", bool Descending = true, int Skip = 0, int Take = 50);

public sealed record FlowRunPage(IReadOnlyList<FlowRunRow> Items, long TotalCount);

/// <summary>A run as a list shows it: its flow (with the version's name), status, incidents and times.</summary>
public sealed record FlowRunRow(Guid Id, string DefinitionId, int Version, string? Name, string Status, string? CorrelationId, int IncidentCount,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? FinishedAt);
