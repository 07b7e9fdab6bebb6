using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary><c>sum</c>: the decimal sum over an array (of the value at <c>path</c> in each item), e.g. a line's discount allocations.</summary>
public sealed class SumTransform(FieldPath? path) : ValueTransform
{
    public override string Name => "sum";

    public override JsonNode? Apply(JsonNode? value, TransformScope scope)
    {
        if (JsonValues.IsMissing(value))
        {
            return JsonValues.Number(0m);
        }

        if (value is not JsonArray items)
        {
            throw new MappingValueException("sum: the value is not an array");
        }

        var total = 0m;
        foreach (var item in items)
        {
            var part = path is null ? item : path.Read(item);
            if (!JsonValues.IsMissing(part))
            {
                total += JsonValues.ToDecimal(part, "sum");
            }
        }

        return JsonValues.Number(total);
    }
}
