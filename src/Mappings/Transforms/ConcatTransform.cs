using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary><c>concat</c>: the value, then the values at <c>with</c> (same item), joined by <c>separator</c>; empty parts are left out.</summary>
public sealed class ConcatTransform(IReadOnlyList<FieldPath> with, string separator, string prefix, string suffix) : ValueTransform
{
    // One builder per thread, reused: a transform runs to its end on the thread that started it.
    [ThreadStatic]
    private static StringBuilder? t_text;

    public override string Name => "concat";

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        var text = t_text ?? new StringBuilder(128);
        t_text = null;
        text.Clear().Append(prefix);
        var parts = 0;
        Append(text, ref parts, value);
        for (var i = 0; i < with.Count; i++)
        {
            Append(text, ref parts, MappingValue.Of(scope.Read(with[i])));
        }

        var result = parts == 0 ? MappingValue.Missing : MappingValue.Of(JsonValue.Create(text.Append(suffix).ToString()));
        t_text = text;
        return result;
    }

    private void Append(StringBuilder text, ref int parts, MappingValue value)
    {
        // A string of a parsed document is decoded straight from its UTF-8 into the builder (no string made of it).
        if (value.Node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue<JsonElement>(out var element)
            && JsonMarshal.GetRawUtf8Value(element) is [(byte)'"', .. var utf8, (byte)'"'] && utf8.Length <= 256 && !utf8.Contains((byte)'\\'))
        {
            Span<char> chars = stackalloc char[utf8.Length];
            Append(text, ref parts, chars[..Encoding.UTF8.GetChars(utf8, chars)]);
            return;
        }

        Append(text, ref parts, value.Text().AsSpan());
    }

    private void Append(StringBuilder text, ref int parts, ReadOnlySpan<char> part)
    {
        var trimmed = part.Trim();
        if (trimmed.IsEmpty)
        {
            return;
        }

        if (parts++ > 0)
        {
            text.Append(separator);
        }

        text.Append(trimmed);
    }
}
