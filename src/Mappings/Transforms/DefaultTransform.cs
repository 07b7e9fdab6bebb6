using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>default</c>: a missing (or, with <c>whenEmpty</c>, empty-string) value becomes the declared one.</summary>
public sealed class DefaultTransform(JsonNode? fallback, bool whenEmpty) : ValueTransform
{
    public override string Name => "default";

    public override JsonNode? Apply(JsonNode? value, TransformScope scope) =>
        JsonValues.IsMissing(value) || (whenEmpty && JsonValues.Text(value) is "") ? fallback?.DeepClone() : value;
}
