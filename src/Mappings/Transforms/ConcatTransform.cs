using System.Text;
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
        Append(text, ref parts, value.Text());
        for (var i = 0; i < with.Count; i++)
        {
            Append(text, ref parts, JsonValues.Text(scope.Read(with[i])));
        }

        var result = parts == 0 ? MappingValue.Missing : MappingValue.Of(JsonValue.Create(text.Append(suffix).ToString()));
        t_text = text;
        return result;
    }

    private void Append(StringBuilder text, ref int parts, string? part)
    {
        if (string.IsNullOrWhiteSpace(part))
        {
            return;
        }

        if (parts++ > 0)
        {
            text.Append(separator);
        }

        text.Append(part.AsSpan().Trim());
    }
}
