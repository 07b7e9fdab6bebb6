using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>sum</c>: the decimal sum over an array value (of the value at <c>path</c> in each item, stepping into nested
/// arrays), e.g. a line's discount allocations. <c>subtract</c>: the value minus the sum of every value at <c>path</c>
/// from the source object, e.g. an order's discounts not allocated to its lines. With <c>orPath</c>, the values at
/// <c>orPath</c> are summed instead when there is none at <c>path</c> (shop money <c>amount_set.shop_money.amount</c>,
/// else the plain <c>amount</c> of older payloads).
/// </summary>
public sealed class SumTransform(FieldPath? path, bool subtract, FieldPath? orPath = null) : ValueTransform
{
    public override string Name => subtract ? "subtract" : "sum";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (subtract)
        {
            return value.IsMissing ? MappingValue.Missing : MappingValue.Of(value.ToDecimal("subtract") - Total(scope.Item, out _));
        }

        if (value.IsMissing)
        {
            return MappingValue.Of(0m);
        }

        var node = value.Node;
        return node is JsonArray || (node is JsonObject && path is not null) ? MappingValue.Of(Total(node, out _)) : throw new MappingValueException("sum: the value is not an array");
    }

    private decimal Total(JsonNode? from, out bool found)
    {
        found = true;
        if (path is null)
        {
            return Whole.Sum(from);
        }

        var total = path.Sum(from, out found);
        return found || orPath is null ? total : orPath.Sum(from, out found);
    }

    private static readonly FieldPath Whole = FieldPath.Root;
}
