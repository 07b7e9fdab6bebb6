using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Mappings.Transforms;

/// <summary>How the engine reads, compares and fingerprints JSON values: money as decimal (a string "10.00" equals the number 10), never double.</summary>
public static class JsonValues
{
    public static bool TryDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                if (v.TryGetValue(out value))
                {
                    return true;
                }

                // A number built in code (int, long, double) rather than parsed: read its JSON digits.
                return v.TryGetValue<JsonElement>(out var element) ? element.TryGetDecimal(out value)
                    : decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonValueKind.String:
                // A string of a parsed document is read from its UTF-8 bytes, without making a string of it first.
                if (v.TryGetValue<JsonElement>(out var text) && JsonMarshal.GetRawUtf8Value(text) is [(byte)'"', .. var utf8, (byte)'"'] && !utf8.Contains((byte)'\\'))
                {
                    return TryParsePlain(utf8, out value) || decimal.TryParse(utf8, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
                }

                return decimal.TryParse(v.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    // The common money text ("12.28", "450", "0.14"): up to 18 digits, one optional point with digits both sides, no sign,
    // read straight into a decimal with the same digits and scale decimal.TryParse gives (anything else goes to it).
    private static bool TryParsePlain(ReadOnlySpan<byte> utf8, out decimal value)
    {
        value = 0;
        if (utf8.IsEmpty || utf8.Length > 19)
        {
            return false;
        }

        ulong mantissa = 0;
        var point = -1;
        for (var i = 0; i < utf8.Length; i++)
        {
            var c = utf8[i];
            if ((uint)(c - '0') <= 9)
            {
                mantissa = (mantissa * 10) + (uint)(c - '0');
            }
            else if (c == '.' && point < 0 && i > 0 && i < utf8.Length - 1)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        if (utf8.Length - (point < 0 ? 0 : 1) > 18)
        {
            return false;
        }

        var scale = point < 0 ? 0 : utf8.Length - point - 1;
        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);
        return true;
    }

    public static decimal ToDecimal(JsonNode? node, string what) =>
        TryDecimal(node, out var value) ? value : throw new MappingValueException($"{what}: '{Text(node)}' is not a number");

    /// <summary>The value as text: a string's characters, a number's JSON digits, true/false; null for null.</summary>
    public static string? Text(JsonNode? node)
    {
        if (node is not JsonValue v)
        {
            return node?.ToJsonString();
        }

        var kind = v.GetValueKind();
        if (kind == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        // A number of a parsed document is its JSON text as written; no writer needed.
        return kind == JsonValueKind.Number && v.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : v.ToJsonString();
    }

    /// <summary>True for the empty string (what <see cref="Text"/> gives as "" without making the text).</summary>
    public static bool IsEmptyText(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && (v.TryGetValue<JsonElement>(out var element) ? element.ValueEquals(ReadOnlySpan<byte>.Empty) : v.GetValue<string>().Length == 0);

    public static bool IsMissing(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    /// <summary>Equal as the target would see it: numbers (and numeric strings against numbers) by decimal value, the rest by JSON.</summary>
    public static bool Same(JsonNode? a, JsonNode? b)
    {
        if (IsMissing(a) || IsMissing(b))
        {
            return IsMissing(a) && IsMissing(b);
        }

        if (a is JsonValue va && b is JsonValue vb)
        {
            var ka = va.GetValueKind();
            var kb = vb.GetValueKind();
            if ((ka == JsonValueKind.Number || kb == JsonValueKind.Number) && TryDecimal(a, out var da) && TryDecimal(b, out var db))
            {
                return da == db;
            }

            if (ka == JsonValueKind.String && kb == JsonValueKind.String)
            {
                return SameText(va, vb);
            }

            // true/false against true/false (a declarative condition's usual test) without a deep compare.
            if (ka is JsonValueKind.True or JsonValueKind.False && kb is JsonValueKind.True or JsonValueKind.False)
            {
                return ka == kb;
            }
        }

        return JsonNode.DeepEquals(a, b);
    }

    // Strings of parsed documents are compared as their UTF-8 (equal bytes without escapes are equal text), a parsed one
    // with a plain string without making a string of it.
    private static bool SameText(JsonValue a, JsonValue b)
    {
        var parsedA = a.TryGetValue<JsonElement>(out var ea);
        var parsedB = b.TryGetValue<JsonElement>(out var eb);
        if (parsedA && parsedB)
        {
            var ra = JsonMarshal.GetRawUtf8Value(ea);
            var rb = JsonMarshal.GetRawUtf8Value(eb);
            if (!ra.Contains((byte)'\\') && !rb.Contains((byte)'\\'))
            {
                return ra.SequenceEqual(rb);
            }
        }
        else if (parsedA)
        {
            return ea.ValueEquals(b.GetValue<string>());
        }
        else if (parsedB)
        {
            return eb.ValueEquals(a.GetValue<string>());
        }

        return string.Equals(a.GetValue<string>(), b.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>As <see cref="Same(JsonNode?, JsonNode?)"/>, a computed number compared by value without making a node of it.</summary>
    public static bool Same(in MappingValue a, JsonNode? b) =>
        a.IsNumber ? !IsMissing(b) && TryDecimal(b, out var number) && number == a.Number : Same(a.Node, b);

    /// <summary>As <see cref="Hash(JsonNode?)"/> for the value.</summary>
    public static string Hash(in MappingValue value) => Hash(value.ToNode());

    /// <summary>A short hash of the value's canonical text (numbers by decimal value), for the echo guard.</summary>
    public static string Hash(JsonNode? node)
    {
        var canonical = IsMissing(node) ? "null"
            : node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && TryDecimal(node, out var d) ? d.ToString("G29", CultureInfo.InvariantCulture)
            : node is JsonValue s && s.GetValueKind() == JsonValueKind.String && decimal.TryParse(s.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) && s.GetValue<string>().Trim().Length > 0
                ? n.ToString("G29", CultureInfo.InvariantCulture)
            : node!.ToJsonString();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), hash);
        return Convert.ToHexStringLower(hash[..12]);
    }

    /// <summary>A copy that can be placed in another document (a node belongs to one parent).</summary>
    public static JsonNode? Detached(JsonNode? node)
    {
        if (node is null || node.Parent is null)
        {
            return node;
        }

        // Values read from a parsed document wrap its JsonElement: a string keeps wrapping it (its text is not copied out of
        // the document), a number becomes a plain decimal (compared and written by value), true/false/null plain values.
        if (node is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.String:
                    return v.TryGetValue<JsonElement>(out var text) ? JsonValue.Create(text) : JsonValue.Create(v.GetValue<string>());
                case JsonValueKind.Number when TryDecimal(v, out var number):
                    return JsonValue.Create(number);
                case JsonValueKind.True:
                    return JsonValue.Create(true);
                case JsonValueKind.False:
                    return JsonValue.Create(false);
                case JsonValueKind.Null:
                    return null;
            }
        }

        return node.DeepClone();
    }

    public static JsonNode Number(decimal value) => JsonValue.Create(value);

    /// <summary>
    /// A node of the mapping or the context (shared by every run) as a run may hand it on: a value as it is (values
    /// cannot be changed), an object or array copied.
    /// </summary>
    public static JsonNode? Shared(JsonNode? node) => node is null or JsonValue ? node : node.DeepClone();
}
