using System.Text.Json.Nodes;

namespace Integration.Workflows.Model;

/// <summary>
/// One activity of a flow as written: id, type, version and its JSON (inputs are properties shaped
/// <c>{typeName, expression:{type, value}}</c>). Containers hold child activities, and flowcharts connections.
/// </summary>
public sealed class FlowActivityNode
{
    internal FlowActivityNode(JsonObject json, string path, string id, string type, int version, string? name,
        IReadOnlyList<FlowActivityNode> children, IReadOnlyList<FlowConnection> connections, IReadOnlyDictionary<string, FlowActivityNode> embedded)
    {
        Json = json;
        Path = path;
        Id = id;
        Type = type;
        Version = version;
        Name = name;
        Children = children;
        Connections = connections;
        Embedded = embedded;
    }

    public JsonObject Json { get; }

    /// <summary>JSON path of the activity in its file, e.g. <c>$.root.activities[2]</c>.</summary>
    public string Path { get; }

    public string Id { get; }

    public string Type { get; }

    public int Version { get; }

    public string? Name { get; }

    /// <summary>Activities of a Flowchart or Sequence.</summary>
    public IReadOnlyList<FlowActivityNode> Children { get; }

    /// <summary>Connections of a Flowchart.</summary>
    public IReadOnlyList<FlowConnection> Connections { get; }

    /// <summary>Embedded activities (If's then/else, ForEach's body), by property name.</summary>
    public IReadOnlyDictionary<string, FlowActivityNode> Embedded { get; }

    /// <summary>The JSON of one property (an input, usually), or null.</summary>
    public JsonNode? Property(string name) => Json.TryGetPropertyValue(name, out var value) ? value : null;

    public bool CanStartWorkflow =>
        Json["customProperties"] is JsonObject properties && properties["canStartWorkflow"] is JsonValue value && value.TryGetValue<bool>(out var can) && can;

    public IEnumerable<FlowActivityNode> SelfAndDescendants()
    {
        yield return this;
        foreach (var child in Children.Concat(Embedded.Values))
        {
            foreach (var node in child.SelfAndDescendants())
            {
                yield return node;
            }
        }
    }
}

/// <summary>A flowchart edge from an activity's outcome port to another activity.</summary>
public sealed record FlowConnection(string SourceActivity, string SourcePort, string TargetActivity, string TargetPort, string Path);
