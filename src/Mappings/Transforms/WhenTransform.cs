using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>when</c>: keeps the value when the value at <c>path</c> (same item) equals <c>equals</c>, or with <c>blank</c>
/// when it is missing, null or empty text (with <c>not</c>: when it does not), otherwise gives <c>else</c> (missing
/// when not declared). A declarative condition, e.g. a gift card line's income account or a custom line's (no SKU:
/// Shopify writes null or ""), so such choices need no JavaScript (about 30 µs a line).
/// </summary>
public sealed class WhenTransform(FieldPath path, JsonNode? equals, bool blank, bool not, JsonNode? otherwise) : ValueTransform
{
    public override string Name => "when";

    // A value already missing stays missing whatever the test says, unless there is an else: the test is not read.
    public override MappingValue Apply(MappingValue value, TransformScope scope) =>
        value.IsMissing && JsonValues.IsMissing(otherwise) ? value
            : Holds(scope.Read(path)) != not ? value : MappingValue.Of(JsonValues.Shared(otherwise));

    private bool Holds(JsonNode? tested) =>
        blank
            ? JsonValues.IsMissing(tested) || JsonValues.IsEmptyText(tested)
            : JsonValues.Same(tested, equals);
}
