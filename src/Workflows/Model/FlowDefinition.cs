using System.Text.Json.Nodes;

namespace Integration.Workflows.Model;

/// <summary>
/// A flow: an Elsa 3 workflow definition. The model is a view over the JSON as written, which is kept whole, so
/// saving writes back everything the file had (designer layout, properties we do not use) unchanged.
/// </summary>
public sealed class FlowDefinition
{
    internal FlowDefinition(JsonObject json, string definitionId, int version, string? name, IReadOnlyList<FlowVariable> variables, FlowActivityNode root)
    {
        Json = json;
        DefinitionId = definitionId;
        Version = version;
        Name = name;
        Variables = variables;
        InMemoryVariables = variables.Where(v => v.InMemory).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        Root = root;
    }

    /// <summary>The definition as JSON, exactly as loaded.</summary>
    public JsonObject Json { get; }

    public string DefinitionId { get; }

    public int Version { get; }

    public string? Name { get; }

    /// <summary>
    /// False when the file says <c>"isPublished": false</c>: the flow is retracted, loaded and visible but out of service
    /// (no trigger, schedule, event or webhook starts it, and nothing executes it); runs already going finish.
    /// </summary>
    public bool IsPublished => Json["isPublished"] is not JsonValue flag || !flag.TryGetValue<bool>(out var published) || published;

    public IReadOnlyList<FlowVariable> Variables { get; }

    /// <summary>The variables kept in memory only (Elsa's Memory storage driver): not written with the run.</summary>
    public IReadOnlySet<string> InMemoryVariables { get; }

    public FlowActivityNode Root { get; }

    /// <summary>Every activity of the flow, the root and all nested ones.</summary>
    public IEnumerable<FlowActivityNode> AllActivities() => Root.SelfAndDescendants();

    /// <summary>The definition as indented JSON, for writing back to its file.</summary>
    public string ToJsonString() => Json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}

/// <summary>A workflow variable: name, type and initial value.</summary>
public sealed record FlowVariable(string Id, string Name, string TypeName, JsonNode? Value, string? StorageDriverTypeName = null)
{
    /// <summary>Kept in memory for one session of the run, not written with it (Elsa's Memory storage driver).</summary>
    public bool InMemory => VariableStorage.IsMemory(StorageDriverTypeName);
}
