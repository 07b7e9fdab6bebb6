using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>valueMap</c>: replaces a value by the one the map gives (<c>"paid": "Paid"</c>); unmapped values take <c>fallback</c>,
/// pass through, or fail. With <c>mapPath</c> the map is the object at that path (a context value such as a store's
/// <c>@locations</c>, location id -> warehouse), so a table the host's settings hold is not copied into the mapping.
/// </summary>
public sealed class ValueMapTransform(IReadOnlyDictionary<string, JsonNode?> map, bool hasFallback, JsonNode? fallback, bool passThrough, FieldPath? mapPath = null) : ValueTransform
{
    public override string Name => "valueMap";

    public IReadOnlyDictionary<string, JsonNode?> Map => map;

    /// <summary>Where the map is read from, per value, instead of <see cref="Map"/>; null for a declared map.</summary>
    public FieldPath? MapPath => mapPath;

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        var key = value.Text() ?? "null";
        if (mapPath is null ? map.TryGetValue(key, out var mapped) : TryRead(scope, key, out mapped))
        {
            return MappingValue.Of(JsonValues.Shared(mapped));
        }

        return hasFallback ? MappingValue.Of(JsonValues.Shared(fallback))
            : passThrough ? value
            : throw new MappingValueException(mapPath is null ? $"valueMap has no entry for '{key}'" : $"valueMap: {mapPath} has no entry for '{key}'");
    }

    private bool TryRead(TransformScope scope, string key, out JsonNode? mapped)
    {
        mapped = null;
        return scope.Read(mapPath!) is JsonObject read && read.TryGetPropertyValue(key, out mapped);
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
