using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Workflows.Model;

/// <summary>
/// How flow files are written (by the designer and <c>POST /api/flows</c>), so they read well in review and the same
/// definition always gives the same bytes: two-space indents, keys in the order given, an object or array on one line
/// when it fits in 120 columns, scripts left readable (no <c>\u0027</c> escapes), and a final newline.
/// </summary>
public static class FlowFileFormat
{
    private const int Width = 120;

    private static readonly JsonSerializerOptions Scalars = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node, 0, 0);
        return text.Append('\n').ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int indent, int prefix)
    {
        var inline = Inline(node);
        if (node is not (JsonObject or JsonArray) || indent + prefix + inline.Length <= Width || IsEmpty(node))
        {
            text.Append(inline);
            return;
        }

        var pad = new string(' ', indent + 2);
        if (node is JsonObject obj)
        {
            text.Append("{\n");
            var i = 0;
            foreach (var (key, value) in obj)
            {
                var name = JsonSerializer.Serialize(key, Scalars) + ": ";
                text.Append(pad).Append(name);
                Write(text, value, indent + 2, name.Length);
                text.Append(++i < obj.Count ? ",\n" : "\n");
            }

            text.Append(' ', indent).Append('}');
            return;
        }

        var array = (JsonArray)node;
        text.Append("[\n");
        for (var i = 0; i < array.Count; i++)
        {
            text.Append(pad);
            Write(text, array[i], indent + 2, 0);
            text.Append(i + 1 < array.Count ? ",\n" : "\n");
        }

        text.Append(' ', indent).Append(']');
    }

    private static bool IsEmpty(JsonNode? node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 };

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject { Count: 0 } => "{}",
        JsonArray { Count: 0 } => "[]",
        JsonObject obj => "{ " + string.Join(", ", obj.Select(p => JsonSerializer.Serialize(p.Key, Scalars) + ": " + Inline(p.Value))) + " }",
        JsonArray array => "[" + string.Join(", ", array.Select(Inline)) + "]",
        _ => node.ToJsonString(Scalars),
    };
}
