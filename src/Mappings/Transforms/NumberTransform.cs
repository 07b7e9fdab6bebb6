using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>number</c>: text or number to a JSON number (decimal, so "89.99" stays exact); <c>string</c>: anything to its text (large ids stay exact).</summary>
public sealed class NumberTransform(bool toText) : ValueTransform
{
    public override string Name => toText ? "string" : "number";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.IsMissing)
        {
            return MappingValue.Missing;
        }

        if (toText)
        {
            return MappingValue.Of(JsonValue.Create(value.Text()));
        }

        if (value.IsEmptyText)
        {
            return MappingValue.Missing;
        }

        return value.TryDecimal(out var number)
            ? MappingValue.Of(number)
            : throw new MappingValueException(string.Create(CultureInfo.InvariantCulture, $"'{value.Text()}' is not a number"));
    }
}
