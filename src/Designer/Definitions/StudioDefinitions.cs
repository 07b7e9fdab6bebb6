using System.Text.Json.Nodes;
using Integration.Workflows.Persistence;

namespace Integration.Designer.Definitions;

/// <summary>
/// Our flows as Elsa's workflow definitions. The version in service (published from its file) is Elsa's published
/// version; a draft saved in the designer is the next version, latest and unpublished; older published versions come
/// from <c>flows.definition</c>. Version ids are <c>{definitionId}~{version}</c>.
/// </summary>
internal sealed class StudioDefinitions(FlowCatalog catalog, FlowDrafts drafts)
{
    public const string ToolVersion = "3.5.0.0";

    /// <summary>One flow's versions the designer deals with: in service and draft.</summary>
    public sealed record Flow(string DefinitionId, JsonObject? Published, int PublishedVersion, DateTimeOffset PublishedAt, JsonObject? Draft, DateTimeOffset DraftSavedAt, string? File)
    {
        public int LatestVersion => Draft is null ? PublishedVersion : PublishedVersion + 1;

        public JsonObject Latest => Draft ?? Published!;

        public string? Name => Latest["name"]?.GetValue<string>();

        /// <summary>The file says <c>"isPublished": false</c>: loaded, but out of service until published again.</summary>
        public bool Retracted => Published?["isPublished"] is JsonValue flag && flag.TryGetValue<bool>(out var published) && !published;

        /// <summary>Elsa's published version: the file's, unless the flow is retracted.</summary>
        public bool InService => Published is not null && !Retracted;
    }

    public async Task<IReadOnlyList<Flow>> ListAsync(CancellationToken cancellationToken)
    {
        // A stale draft (the file changed on disk after it was saved) is not offered: the file's version is the latest.
        var saved = (await drafts.ListAsync(cancellationToken)).Where(d => !drafts.IsStale(d)).ToDictionary(d => d.DefinitionId, StringComparer.Ordinal);
        var flows = new List<Flow>();
        foreach (var published in catalog.Flows.Where(f => f.Definition is not null))
        {
            var definitionId = published.Definition!.DefinitionId;
            saved.Remove(definitionId, out var draft);
            flows.Add(new Flow(definitionId, published.Definition.Json, published.PublishedVersion, PublishedAt(published.File), Parse(draft?.Json), Utc(draft?.SavedAt), published.File));
        }

        flows.AddRange(saved.Values.Select(d => new Flow(d.DefinitionId, null, 0, default, Parse(d.Json), Utc(d.SavedAt), null)));
        return flows;
    }

    public async Task<Flow?> FindAsync(string definitionId, CancellationToken cancellationToken)
    {
        var published = catalog.Flows.FirstOrDefault(f => f.Definition?.DefinitionId == definitionId);
        var draft = await drafts.FindAsync(definitionId, cancellationToken) is { } saved && !drafts.IsStale(saved) ? saved : null;
        if (published is null && draft is null)
        {
            return null;
        }

        return new Flow(definitionId, published?.Definition?.Json, published?.PublishedVersion ?? 0, published is null ? default : PublishedAt(published.File),
            Parse(draft?.Json), Utc(draft?.SavedAt), published?.File);
    }

    /// <summary>A version by Elsa's version options: Latest, Published, LatestOrPublished, Draft or a number.</summary>
    public async Task<JsonObject?> VersionAsync(Flow flow, string? versionOptions, CancellationToken cancellationToken)
    {
        switch (versionOptions ?? "Latest")
        {
            case "Latest" or "LatestOrPublished" or "LatestAndPublished":
                return Model(flow, flow.LatestVersion);
            case "Published":
                return flow.Published is null ? null : Model(flow, flow.PublishedVersion);
            case "Draft":
                return flow.Draft is null ? null : Model(flow, flow.LatestVersion);
            default:
                if (!int.TryParse(versionOptions, out var version))
                {
                    return null;
                }

                if (version == flow.PublishedVersion && flow.Published is not null || version == flow.LatestVersion)
                {
                    return Model(flow, version);
                }

                return version > 0 && version < flow.PublishedVersion && await catalog.VersionJsonAsync(flow.DefinitionId, version, cancellationToken) is { } json
                    ? Decorate(Parse(json)!, flow.DefinitionId, version, isLatest: false, isPublished: false, default)
                    : null;
        }
    }

    /// <summary>Every version of a flow, newest first, for Studio's version history.</summary>
    public async Task<IReadOnlyList<JsonObject>> VersionsAsync(Flow flow, CancellationToken cancellationToken)
    {
        var versions = new List<JsonObject>();
        if (flow.Draft is not null)
        {
            versions.Add(Summary(flow, flow.LatestVersion));
        }

        foreach (var version in await catalog.VersionsAsync(flow.DefinitionId, cancellationToken))
        {
            var summary = Summary(flow, version.Version);
            summary["createdAt"] = new DateTimeOffset(DateTime.SpecifyKind(version.PublishedAt, DateTimeKind.Utc));
            versions.Add(summary);
        }

        return versions;
    }

    public static JsonObject Model(Flow flow, int version)
    {
        var isDraft = flow.Draft is not null && version == flow.LatestVersion;
        return Decorate(isDraft ? flow.Draft! : flow.Published!, flow.DefinitionId, version, isLatest: version == flow.LatestVersion, isPublished: !isDraft && flow.InService,
            isDraft ? flow.DraftSavedAt : flow.PublishedAt);
    }

    public static JsonObject Summary(Flow flow, int version)
    {
        var isDraft = flow.Draft is not null && version == flow.LatestVersion;
        var source = isDraft ? flow.Draft! : flow.Published ?? flow.Latest;
        return new JsonObject
        {
            ["id"] = VersionId(flow.DefinitionId, version),
            ["definitionId"] = flow.DefinitionId,
            ["name"] = source["name"]?.DeepClone() ?? flow.DefinitionId,
            ["description"] = source["description"]?.DeepClone(),
            ["version"] = version,
            ["toolVersion"] = ToolVersion,
            ["isLatest"] = version == flow.LatestVersion,
            ["isPublished"] = !isDraft && version == flow.PublishedVersion && flow.InService,
            ["isReadonly"] = false,
            ["isSystem"] = false,
            ["providerName"] = "flows",
            ["materializerName"] = "Json",
            ["isMaterializerAvailable"] = true,
            ["createdAt"] = isDraft ? flow.DraftSavedAt : flow.PublishedAt,
            ["links"] = Links.ForDefinition(flow.DefinitionId),
        };
    }

    public static string VersionId(string definitionId, int version) => $"{definitionId}~{version}";

    /// <summary>The flow's JSON with what Studio needs around it: version fields, empty lists it expects, links.</summary>
    private static JsonObject Decorate(JsonObject source, string definitionId, int version, bool isLatest, bool isPublished, DateTimeOffset createdAt)
    {
        var model = (JsonObject)source.DeepClone();
        model["id"] = VersionId(definitionId, version);
        model["definitionId"] = definitionId;
        model["name"] ??= definitionId;
        model["version"] = version;
        model["toolVersion"] = ToolVersion;
        model["createdAt"] = createdAt;
        model["isLatest"] = isLatest;
        model["isPublished"] = isPublished;
        model["isReadonly"] = false;
        model["isSystem"] = false;
        model["materializerName"] = "Json";
        foreach (var list in new[] { "variables", "inputs", "outputs", "outcomes" })
        {
            if (model[list] is not JsonArray)
            {
                model[list] = new JsonArray();
            }
        }

        if (model["options"] is not JsonObject)
        {
            model["options"] = new JsonObject { ["autoUpdateConsumingWorkflows"] = false };
        }

        if (model["customProperties"] is not JsonObject)
        {
            model["customProperties"] = new JsonObject();
        }

        foreach (var variable in ((JsonArray)model["variables"]!).OfType<JsonObject>())
        {
            // Studio identifies variables by id; ours may be named only.
            variable["id"] ??= variable["name"]?.DeepClone();
            variable["typeName"] ??= "Object";
            variable["isArray"] ??= false;
        }

        if (model["root"] is JsonObject root)
        {
            AssignNodeIds(root, "Workflow1");
            FlowchartLayout.Apply(root);
        }

        model["links"] = Links.ForDefinition(definitionId);
        return model;
    }

    /// <summary>The <c>nodeId</c> Studio gives each activity of a definition, by activity id (to place a run's journal on the drawing).</summary>
    public static IReadOnlyDictionary<string, string> NodeIds(JsonObject definition)
    {
        var nodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (definition["root"] is JsonObject root)
        {
            var copy = (JsonObject)root.DeepClone();
            AssignNodeIds(copy, "Workflow1");
            Collect(copy);
        }

        return nodeIds;

        void Collect(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["nodeId"] is JsonValue nodeId && o["id"] is JsonValue id)
                    {
                        nodeIds.TryAdd(id.ToString(), nodeId.ToString());
                    }

                    foreach (var (key, value) in o)
                    {
                        if (key != "expression")
                        {
                            Collect(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    /// <summary>Studio indexes activities by <c>nodeId</c>, the path of ids from the root (Elsa writes it; our files need not).</summary>
    private static void AssignNodeIds(JsonObject activity, string parent)
    {
        var nodeId = $"{parent}:{activity["id"]}";
        activity["nodeId"] = nodeId;
        if (activity["connections"] is JsonArray connections)
        {
            UpgradeConnections(connections);
        }

        foreach (var (key, value) in activity.ToList())
        {
            switch (value)
            {
                case JsonObject child when child["type"] is JsonValue && child["id"] is JsonValue && key != "expression":
                    AssignNodeIds(child, nodeId);
                    break;
                case JsonArray items when key is "activities" or "cases" or "expectedStatusCodes":
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        var inner = item["type"] is JsonValue && item["id"] is JsonValue ? item : item["activity"] as JsonObject;
                        if (inner?["id"] is JsonValue)
                        {
                            AssignNodeIds(inner, nodeId);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Elsa 3.0's connection form (<c>source</c>, <c>sourcePort</c>, ...) in the current one, the only one Studio draws.</summary>
    private static void UpgradeConnections(JsonArray connections)
    {
        for (var i = 0; i < connections.Count; i++)
        {
            if (connections[i] is JsonObject { } edge && edge["source"] is JsonValue source && edge["target"] is JsonValue target)
            {
                connections[i] = new JsonObject
                {
                    ["source"] = new JsonObject { ["activity"] = source.ToString(), ["port"] = edge["sourcePort"]?.ToString() ?? "Done" },
                    ["target"] = new JsonObject { ["activity"] = target.ToString(), ["port"] = edge["targetPort"]?.ToString() ?? "In" },
                };
            }
        }
    }

    private static DateTimeOffset PublishedAt(string file) => File.Exists(file) ? File.GetLastWriteTimeUtc(file) : DateTimeOffset.UtcNow;

    private static DateTimeOffset Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : default;

    private static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}
