using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>prorate</c>: an amount for a whole scaled to a part of it, value × <c>part</c> ÷ <c>whole</c> (both read from the
/// same item), in decimal: e.g. a Shopify line's discount and tax, which stay those of the ordered <c>quantity</c> after
/// an edit, for its <c>current_quantity</c>. The value is kept as it is when either is missing or the whole is 0, and
/// not rounded: a <c>round</c> after it says to what. With <c>orPart</c>, the part is read there when the item has none
/// at <c>part</c>.
/// </summary>
public sealed class ProrateTransform(FieldPath part, FieldPath whole, FieldPath? orPart = null) : ValueTransform
{
    public override string Name => "prorate";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.IsMissing
            || !scope.TryReadDecimal(orPart is not null && scope.Read(part) is null ? orPart : part, out var partOf)
            || !scope.TryReadDecimal(whole, out var wholeOf)
            || wholeOf == 0 || partOf == wholeOf)
        {
            return value;
        }

        return MappingValue.Of(value.ToDecimal("prorate") * partOf / wholeOf);
    }
}
