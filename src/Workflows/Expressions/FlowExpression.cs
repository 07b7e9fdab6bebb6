using System.Text.Json.Nodes;

namespace Integration.Workflows.Expressions;

/// <summary>
/// An input's expression as written: <c>{typeName, expression:{type, value}}</c>. A bare JSON value is a Literal; a
/// missing or null input has no expression.
/// </summary>
public sealed record FlowExpression(string Type, string? Value, string? TypeName)
{
    public static readonly IReadOnlyList<string> Types = ["Literal", "Object", "Json", "Variable", "Input", "JavaScript", "Liquid"];

    public static FlowExpression? From(JsonNode? input) => input switch
    {
        null => null,
        JsonObject o when o["expression"] is JsonObject e => new FlowExpression(
            e["type"]?.GetValue<string>() ?? "Literal", Text(e["value"]), o["typeName"]?.GetValue<string>()),
        JsonObject o when o.ContainsKey("memoryReference") || o.ContainsKey("typeName") => null, // an output binding, or an unset input
        JsonValue v => new FlowExpression("Literal", Text(v), null),
        _ => new FlowExpression("Object", input.ToJsonString(), null),
    };

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
