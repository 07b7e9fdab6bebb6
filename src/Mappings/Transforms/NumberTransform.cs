using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>number</c>: text or number to a JSON number (decimal, so "89.99" stays exact); <c>string</c>: anything to its text (large ids stay exact).</summary>
public sealed class NumberTransform(bool toText) : ValueTransform
{
    public override string Name => toText ? "string" : "number";

    public override JsonNode? Apply(JsonNode? value, TransformScope scope)
    {
        if (JsonValues.IsMissing(value))
        {
            return null;
        }

        if (toText)
        {
            return JsonValue.Create(JsonValues.Text(value));
        }

        if (JsonValues.IsEmptyText(value))
        {
            return null;
        }

        return JsonValues.TryDecimal(value, out var number)
            ? JsonValues.Number(number)
            : throw new MappingValueException(string.Create(CultureInfo.InvariantCulture, $"'{JsonValues.Text(value)}' is not a number"));
    }
}
