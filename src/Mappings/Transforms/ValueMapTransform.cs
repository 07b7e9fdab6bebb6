using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>valueMap</c>: replaces a value by the one the map gives (<c>"paid": "Paid"</c>); unmapped values take <c>fallback</c>, pass through, or fail.</summary>
public sealed class ValueMapTransform(IReadOnlyDictionary<string, JsonNode?> map, bool hasFallback, JsonNode? fallback, bool passThrough) : ValueTransform
{
    public override string Name => "valueMap";

    public IReadOnlyDictionary<string, JsonNode?> Map => map;

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        var key = value.Text() ?? "null";
        if (map.TryGetValue(key, out var mapped))
        {
            return MappingValue.Of(JsonValues.Shared(mapped));
        }

        return hasFallback ? MappingValue.Of(JsonValues.Shared(fallback))
            : passThrough ? value
            : throw new MappingValueException($"valueMap has no entry for '{key}'");
    }

    /// <summary>The map read backwards (target value to source value), for the other direction.</summary>
    public ValueMapTransform Inverse()
    {
        var inverse = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (from, to) in map)
        {
            inverse.TryAdd(JsonValues.Text(to) ?? "null", JsonValue.Create(from));
        }

        return new ValueMapTransform(inverse, false, null, passThrough);
    }
}
