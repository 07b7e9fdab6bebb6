using System.Text;
using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;

namespace Integration.Mappings.Transforms;

/// <summary><c>concat</c>: the value, then the values at <c>with</c> (same item), joined by <c>separator</c>; empty parts are left out.</summary>
public sealed class ConcatTransform(IReadOnlyList<FieldPath> with, string separator, string prefix, string suffix) : ValueTransform
{
    public override string Name => "concat";

    public override JsonNode? Apply(JsonNode? value, TransformScope scope)
    {
        var text = new StringBuilder(prefix);
        var parts = 0;
        Append(JsonValues.Text(value));
        foreach (var path in with)
        {
            Append(JsonValues.Text(scope.Read(path)));
        }

        return parts == 0 ? null : JsonValue.Create(text.Append(suffix).ToString());

        void Append(string? part)
        {
            if (string.IsNullOrWhiteSpace(part))
            {
                return;
            }

            if (parts++ > 0)
            {
                text.Append(separator);
            }

            text.Append(part.Trim());
        }
    }
}
