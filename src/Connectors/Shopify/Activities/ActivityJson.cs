using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>Reads the Object inputs of the Shopify activities: JSON given as a node or as its text.</summary>
internal static class ActivityJson
{
    public static JsonNode? Node(ActivityContext context, string input) => context.JsonInput(input);

    /// <summary>The input as a list of objects (one object counts as a list of one); empty when not set.</summary>
    public static IReadOnlyList<JsonObject> Objects(ActivityContext context, string input) => Node(context, input) switch
    {
        JsonArray array => [.. array.OfType<JsonObject>()],
        JsonObject one => [one],
        null => [],
        var other => throw new InvalidOperationException($"{context.Node.Type}: '{input}' must be an array of objects, not {other.GetValueKind()}."),
    };

    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    /// <summary>A number given as a JSON number or as text ("12.50"); null when absent or null.</summary>
    public static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<decimal>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        null => null,
        var other => throw new FormatException($"'{other.ToJsonString()}' is not a number."),
    };

    /// <summary>A boolean input that defaults when not set.</summary>
    public static bool Flag(ActivityContext context, string input, bool fallback) =>
        context.HasInput(input) && context.InputValue(input) is { } value
            ? value switch { bool b => b, JsonValue v when v.TryGetValue<bool>(out var b) => b, _ => bool.Parse(Text(JsonValue.Create(value.ToString())) ?? "") }
            : fallback;
}
