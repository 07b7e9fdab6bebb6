using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary><c>split</c>: the part at <c>index</c> (negative counts from the end) of the text split by <c>separator</c>; <c>rest</c> joins the parts from there on.</summary>
public sealed class SplitTransform(string separator, int index, bool rest) : ValueTransform
{
    public override string Name => "split";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (value.Text() is not { } text)
        {
            return MappingValue.Missing;
        }

        // The parts, trimmed, empty ones left out; only the one asked for (or the rest from it) becomes a string.
        var count = 0;
        foreach (var range in text.AsSpan().Split(separator))
        {
            if (!text.AsSpan()[range].Trim().IsEmpty)
            {
                count++;
            }
        }

        var at = index < 0 ? count + index : index;
        if (at < 0 || at >= count)
        {
            return MappingValue.Missing;
        }

        if (rest)
        {
            return MappingValue.Of(JsonValue.Create(string.Join(separator, text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[at..])));
        }

        var part = 0;
        foreach (var range in text.AsSpan().Split(separator))
        {
            var trimmed = text.AsSpan()[range].Trim();
            if (!trimmed.IsEmpty && part++ == at)
            {
                return MappingValue.Of(JsonValue.Create(trimmed.ToString()));
            }
        }

        return MappingValue.Missing;
    }
}
