using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>split</c>: the part at <c>index</c> (negative counts from the end) of the text split by <c>separator</c>; <c>rest</c> joins the parts from there on.</summary>
public sealed class SplitTransform(string separator, int index, bool rest) : ValueTransform
{
    public override string Name => "split";

    public override JsonNode? Apply(JsonNode? value, TransformScope scope)
    {
        if (JsonValues.Text(value) is not { } text)
        {
            return null;
        }

        var parts = text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var at = index < 0 ? parts.Length + index : index;
        if (at < 0 || at >= parts.Length)
        {
            return null;
        }

        return JsonValue.Create(rest ? string.Join(separator, parts[at..]) : parts[at]);
    }
}
