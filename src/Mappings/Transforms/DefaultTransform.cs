using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>default</c>: a missing (or, with <c>whenEmpty</c>, empty-string) value becomes the declared <c>value</c>, or the
/// value at <c>path</c> (e.g. <c>@guestCustomer</c> for orders without a customer).
/// </summary>
public sealed class DefaultTransform(JsonNode? fallback, FieldPath? path, bool whenEmpty) : ValueTransform
{
    public override string Name => "default";

    public override MappingValue Apply(MappingValue value, TransformScope scope) =>
        value.IsMissing || (whenEmpty && value.Text() is "" or "0")
            ? MappingValue.Of(path is null ? JsonValues.Shared(fallback) : scope.Read(path))
            : value;
}
