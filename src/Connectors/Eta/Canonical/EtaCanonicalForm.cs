using System.Text;
using System.Text.Json;

namespace Integration.Connectors.Eta.Canonical;

/// <summary>
/// ETA's "document serialization approach": from the root, each property name upper-cased (invariant) and quoted,
/// each simple value quoted exactly as written in the JSON text (numbers keep their digits: <c>0.0</c> stays
/// <c>0.0</c>; strings are the decoded text, Arabic as is), objects recursed, and an array's name written once and
/// then again before each element. No separators, no whitespace, document order.
/// </summary>
public static class EtaCanonicalForm
{
    /// <summary>The canonical string of a JSON document; with <paramref name="blankUuid"/>, <c>header.uuid</c> counts as <c>""</c>.</summary>
    public static string Serialize(string json, bool blankUuid = false)
    {
        using var document = JsonDocument.Parse(json);
        return Serialize(document.RootElement, blankUuid);
    }

    public static string Serialize(JsonElement root, bool blankUuid = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("An ETA document is a JSON object.");
        }

        var text = new StringBuilder(4096);
        WriteObject(text, root, blankUuid ? BlankAt.Root : BlankAt.Nowhere);
        return text.ToString();
    }

    private enum BlankAt { Nowhere, Root, Header }

    private static void WriteObject(StringBuilder text, JsonElement element, BlankAt blank)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name.ToUpperInvariant();
            Quote(text, name);
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    Quote(text, name);
                    WriteValue(text, item, BlankAt.Nowhere);
                }
            }
            else if (blank == BlankAt.Header && name == "UUID")
            {
                Quote(text, string.Empty);
            }
            else
            {
                WriteValue(text, value, blank == BlankAt.Root && name == "HEADER" ? BlankAt.Header : BlankAt.Nowhere);
            }
        }
    }

    private static void WriteValue(StringBuilder text, JsonElement value, BlankAt blank)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(text, value, blank);
                break;
            case JsonValueKind.Array:
                // An array directly inside an array has no name of its own to repeat.
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(text, item, BlankAt.Nowhere);
                }

                break;
            case JsonValueKind.String:
                Quote(text, value.GetString()!);
                break;
            default:
                // Numbers, true, false, null: the token exactly as written.
                Quote(text, value.GetRawText());
                break;
        }
    }

    private static void Quote(StringBuilder text, string value) => text.Append('"').Append(value).Append('"');
}
