using System.Text.Json.Nodes;
using Integration.Designer.Definitions;
using Integration.Workflows.Persistence;

namespace Integration.Designer.Runs;

/// <summary>
/// Our runs (<c>flows.instance</c>, <c>flows.incident</c>) as Elsa's workflow instances, their journal as Elsa's
/// execution log and activity execution records. Elsa has two levels of status: ours map to
/// Running/Executing, Running/Suspended, Finished/Finished, Finished/Faulted and Finished/Cancelled. The journal keeps
/// each activity's duration, not its clock time, so times are reconstructed from the run's start.
/// </summary>
internal sealed class StudioRuns(FlowInstanceStore store, FlowCatalog catalog)
{
    /// <summary>One run read for Studio: its stored JSON and the node ids of its definition version.</summary>
    public sealed record Run(JsonObject Stored, IReadOnlyDictionary<string, string> NodeIds)
    {
        public string Id => Stored["id"]!.ToString();

        public string Status => Stored["status"]!.ToString();

        public DateTimeOffset CreatedAt => Stored["createdAt"]!.GetValue<DateTimeOffset>();

        public JsonArray Journal => Stored["journal"] as JsonArray ?? [];

        public JsonArray Bookmarks => Stored["bookmarks"] as JsonArray ?? [];

        public string NodeId(string activityId) => NodeIds.TryGetValue(activityId, out var nodeId) ? nodeId : activityId;
    }

    public static (string Status, string SubStatus) ElsaStatus(string status) => status switch
    {
        "Running" => ("Running", "Executing"),
        "Suspended" => ("Running", "Suspended"),
        "Finished" => ("Finished", "Finished"),
        "Faulted" => ("Finished", "Faulted"),
        "Cancelled" => ("Finished", "Cancelled"),
        _ => ("Running", "Pending"),
    };

    /// <summary>Our statuses for Elsa's status and sub-status filters (either may be empty: any).</summary>
    public static IReadOnlyCollection<string>? OurStatuses(IReadOnlyCollection<string> statuses, IReadOnlyCollection<string> subStatuses)
    {
        if (statuses.Count == 0 && subStatuses.Count == 0)
        {
            return null;
        }

        string[] ours = ["Running", "Suspended", "Finished", "Faulted", "Cancelled"];
        return [.. ours.Where(s =>
        {
            var (status, subStatus) = ElsaStatus(s);
            return (statuses.Count == 0 || statuses.Contains(status, StringComparer.OrdinalIgnoreCase) || statuses.Contains(s, StringComparer.OrdinalIgnoreCase))
                && (subStatuses.Count == 0 || subStatuses.Contains(subStatus, StringComparer.OrdinalIgnoreCase));
        })];
    }

    public Task<FlowRunPage> PageAsync(FlowRunQuery query, CancellationToken cancellationToken) => store.PageAsync(query, cancellationToken);

    public async Task<Run?> FindAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(instanceId, out var id) || await store.GetAsync(id) is not { } stored)
        {
            return null;
        }

        var json = (JsonObject)JsonNode.Parse(stored.GetRawText())!;
        var definition = await catalog.VersionJsonAsync(json["definitionId"]!.ToString(), json["version"]!.GetValue<int>(), cancellationToken);
        return new Run(json, definition is null ? new Dictionary<string, string>() : StudioDefinitions.NodeIds((JsonObject)JsonNode.Parse(definition)!));
    }

    public static JsonObject Summary(FlowRunRow row)
    {
        var (status, subStatus) = ElsaStatus(row.Status);
        return new JsonObject
        {
            ["id"] = row.Id.ToString(),
            ["definitionId"] = row.DefinitionId,
            ["definitionVersionId"] = StudioDefinitions.VersionId(row.DefinitionId, row.Version),
            ["version"] = row.Version,
            ["status"] = status,
            ["subStatus"] = subStatus,
            ["correlationId"] = row.CorrelationId,
            ["name"] = row.Name ?? row.DefinitionId,
            ["incidentCount"] = row.IncidentCount,
            ["isSystem"] = false,
            ["createdAt"] = Utc(row.CreatedAt),
            ["updatedAt"] = Utc(row.UpdatedAt),
            ["finishedAt"] = row.FinishedAt is { } finished ? Utc(finished) : null,
        };
    }

    /// <summary>Elsa's <c>WorkflowInstance</c>, with the parts of its <c>WorkflowState</c> our runs have.</summary>
    public static JsonObject Instance(Run run)
    {
        var s = run.Stored;
        var (status, subStatus) = ElsaStatus(run.Status);
        var definitionId = s["definitionId"]!.ToString();
        var version = s["version"]!.GetValue<int>();
        var incidents = new JsonArray([.. (s["incidents"] as JsonArray ?? []).OfType<JsonObject>().Where(i => i["status"]?.ToString() == "Open").Select(i => new JsonObject
        {
            ["activityId"] = i["activityId"]?.DeepClone(),
            ["activityNodeId"] = run.NodeId(i["activityId"]!.ToString()),
            ["activityType"] = i["activityType"]?.DeepClone(),
            ["message"] = i["message"]?.DeepClone(),
            ["exception"] = new JsonObject { ["type"] = "ActivityFault", ["message"] = i["message"]?.DeepClone() },
            ["timestamp"] = i["createdAt"]?.DeepClone(),
        })]);
        var bookmarks = new JsonArray([.. run.Bookmarks.OfType<JsonObject>().Select((b, n) => new JsonObject
        {
            ["id"] = $"{run.Id}:bookmark:{n}",
            ["name"] = b["name"]?.DeepClone(),
            ["hash"] = "",
            ["payload"] = b["payload"]?.DeepClone(),
            ["activityNodeId"] = run.NodeId(b["activityId"]?.ToString() ?? ""),
            ["activityInstanceId"] = LastExecutionId(run, b["activityId"]?.ToString()),
            ["autoBurn"] = true,
        })]);
        return new JsonObject
        {
            ["id"] = run.Id,
            ["definitionId"] = definitionId,
            ["definitionVersionId"] = StudioDefinitions.VersionId(definitionId, version),
            ["version"] = version,
            ["parentWorkflowInstanceId"] = null,
            ["status"] = status,
            ["subStatus"] = subStatus,
            ["isExecuting"] = run.Status == "Running",
            ["correlationId"] = s["correlationId"]?.DeepClone(),
            ["name"] = definitionId,
            ["incidentCount"] = (s["incidents"] as JsonArray ?? []).Count,
            ["isSystem"] = false,
            ["createdAt"] = s["createdAt"]?.DeepClone(),
            ["updatedAt"] = s["updatedAt"]?.DeepClone(),
            ["finishedAt"] = s["finishedAt"]?.DeepClone(),
            ["workflowState"] = new JsonObject
            {
                ["id"] = run.Id,
                ["definitionId"] = definitionId,
                ["definitionVersion"] = version,
                ["definitionVersionId"] = StudioDefinitions.VersionId(definitionId, version),
                ["correlationId"] = s["correlationId"]?.DeepClone(),
                ["status"] = status,
                ["subStatus"] = subStatus,
                ["bookmarks"] = bookmarks,
                ["incidents"] = incidents,
                ["fault"] = null,
                ["completionCallbacks"] = new JsonArray(),
                ["activityExecutionContexts"] = new JsonArray(),
                ["input"] = s["input"] is JsonObject input ? input.DeepClone() : new JsonObject(),
                ["output"] = s["output"] is JsonObject output ? output.DeepClone() : new JsonObject(),
                ["properties"] = new JsonObject(),
                ["createdAt"] = s["createdAt"]?.DeepClone(),
                ["updatedAt"] = s["updatedAt"]?.DeepClone(),
                ["finishedAt"] = s["finishedAt"]?.DeepClone(),
            },
        };
    }

    /// <summary>The run's variables as Elsa's resolved variables (<c>{id, name, value}</c>).</summary>
    public static JsonArray Variables(Run run) =>
        [.. (run.Stored["variables"] as JsonObject ?? []).Select(v => new JsonObject { ["id"] = v.Key, ["name"] = v.Key, ["value"] = v.Value?.DeepClone() })];

    /// <summary>Each journal entry as an activity execution record, in the order the activities ended.</summary>
    public static IReadOnlyList<JsonObject> Executions(Run run)
    {
        var records = new List<JsonObject>();
        var clock = run.CreatedAt;
        var blocked = run.Status == "Suspended" ? run.Bookmarks.Select(b => b?["activityId"]?.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        var lastOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = run.Journal.OfType<JsonObject>().ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            lastOf[entries[i]["activityId"]!.ToString()] = i;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var activityId = entry["activityId"]!.ToString();
            var started = clock;
            clock = clock.AddTicks((long)(entry["microseconds"]?.GetValue<double>() * 10 ?? 0));
            var error = entry["error"]?.ToString();
            records.Add(new JsonObject
            {
                ["id"] = ExecutionId(run.Id, i),
                ["workflowInstanceId"] = run.Id,
                ["activityId"] = activityId,
                ["activityNodeId"] = run.NodeId(activityId),
                ["activityType"] = entry["activityType"]?.DeepClone(),
                ["activityTypeVersion"] = 1,
                ["activityName"] = entry["name"]?.DeepClone() ?? activityId,
                ["activityState"] = entry["inputs"]?.DeepClone() ?? new JsonObject(),
                ["payload"] = new JsonObject { ["outcomes"] = entry["outcomes"]?.DeepClone() ?? new JsonArray() },
                ["outputs"] = entry["outputs"]?.DeepClone() ?? new JsonObject(),
                ["properties"] = new JsonObject(),
                ["metadata"] = new JsonObject(),
                ["exception"] = error is null ? null : new JsonObject { ["type"] = "ActivityFault", ["message"] = error, ["stackTrace"] = null },
                ["startedAt"] = started,
                ["hasBookmarks"] = blocked.Contains(activityId) && lastOf[activityId] == i,
                ["status"] = error is null ? "Completed" : "Faulted",
                ["aggregateFaultCount"] = error is null ? 0 : 1,
                ["completedAt"] = clock,
                ["callStackDepth"] = 0,
            });
        }

        return records;
    }

    /// <summary>The journal as Elsa's execution log: a Started and a Completed (or Faulted) record per activity.</summary>
    public static IReadOnlyList<JsonObject> Log(Run run)
    {
        var log = new List<JsonObject>();
        foreach (var execution in Executions(run))
        {
            var faulted = execution["status"]!.ToString() == "Faulted";
            foreach (var (eventName, at) in new[] { ("Started", execution["startedAt"]!), (faulted ? "Faulted" : "Completed", execution["completedAt"]!) })
            {
                log.Add(new JsonObject
                {
                    ["id"] = $"{execution["id"]}:{eventName}",
                    ["activityInstanceId"] = execution["id"]!.DeepClone(),
                    ["parentActivityInstanceId"] = null,
                    ["activityId"] = execution["activityId"]!.DeepClone(),
                    ["activityType"] = execution["activityType"]?.DeepClone(),
                    ["activityTypeVersion"] = 1,
                    ["activityName"] = execution["activityName"]?.DeepClone(),
                    ["nodeId"] = execution["activityNodeId"]!.DeepClone(),
                    ["timestamp"] = at.DeepClone(),
                    ["sequence"] = log.Count,
                    ["eventName"] = eventName,
                    ["message"] = faulted && eventName == "Faulted" ? execution["exception"]?["message"]?.DeepClone() : null,
                    ["source"] = null,
                    ["activityState"] = eventName == "Started" ? execution["activityState"]?.DeepClone() : null,
                    ["payload"] = eventName == "Started" ? null : execution["payload"]?.DeepClone(),
                });
            }
        }

        return log;
    }

    public static string ExecutionId(string instanceId, int index) => $"{instanceId}:{index}";

    /// <summary>The run id and journal index of an activity execution id.</summary>
    public static (string InstanceId, int Index)? ParseExecutionId(string id)
    {
        var split = id.LastIndexOf(':');
        return split > 0 && int.TryParse(id[(split + 1)..], out var index) ? (id[..split], index) : null;
    }

    private static string? LastExecutionId(Run run, string? activityId)
    {
        var entries = run.Journal.OfType<JsonObject>().ToList();
        var index = entries.FindLastIndex(e => e["activityId"]?.ToString() == activityId);
        return index < 0 ? null : ExecutionId(run.Id, index);
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
