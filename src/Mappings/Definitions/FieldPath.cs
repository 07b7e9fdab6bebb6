using System.Text.Json.Nodes;

namespace Integration.Mappings.Definitions;

/// <summary>
/// A dotted path into a JSON document (<c>billing_address.first_name</c>, <c>tax_lines[0].rate</c>,
/// <c>meta_data[key=erp_credit_limit].value</c>), split into
/// segments once when the mapping loads, so reading and writing never parse text. A path starting with <c>@</c>
/// names a value of the <see cref="Engine.MappingContext"/> instead (<c>@warehouse</c>).
/// </summary>
public sealed class FieldPath
{
    private readonly Segment[] _segments;

    private FieldPath(string text, Segment[] segments, string? contextName)
    {
        Text = text;
        _segments = segments;
        ContextName = contextName;
    }

    public string Text { get; }

    /// <summary>The steps, for the engine's own writer (<see cref="Engine.TargetChanges"/>).</summary>
    internal Segment[] Segments => _segments;

    /// <summary>The value itself (no steps), e.g. to sum the items of an array value.</summary>
    public static FieldPath Root { get; } = new("", [], null);

    /// <summary>Set when the path names a context value (<c>@name</c>).</summary>
    public string? ContextName { get; }

    // Paths are immutable: one instance per text, so a run's read memo (Transforms.TransformScope) knows a path read by
    // several fields and transforms of an item (a line's gift_card, its quantities) by reference.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, FieldPath> Parsed = new(StringComparer.Ordinal);

    public static FieldPath Parse(string text) => Parsed.GetOrAdd(text, ParseText);

    private static FieldPath ParseText(string text)
    {
        if (text.StartsWith('@'))
        {
            return new FieldPath(text, [], text[1..]);
        }

        var parts = text.Split('.');
        var segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0)
            {
                // Names are interned: the target writer finds a member it already wrote by reference, mostly.
                segments[i] = new Segment(string.Intern(part), -1, null, null, Encode(part));
                continue;
            }

            var inside = part[(bracket + 1)..^1];
            var equals = inside.IndexOf('=', StringComparison.Ordinal);
            segments[i] = equals < 0
                ? new Segment(string.Intern(part[..bracket]), int.Parse(inside, System.Globalization.CultureInfo.InvariantCulture), null, null, Encode(part[..bracket]))
                : new Segment(string.Intern(part[..bracket]), -1, inside[..equals], inside[(equals + 1)..], Encode(part[..bracket]));
        }

        return new FieldPath(text, segments, null);
    }

    /// <summary>The node at this path, or null when any step is absent.</summary>
    public JsonNode? Read(JsonNode? root)
    {
        var node = root;
        for (var i = 0; i < _segments.Length; i++)
        {
            ref readonly var segment = ref _segments[i];
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment.Name, out node))
            {
                return null;
            }

            if (segment.Index >= 0)
            {
                if (node is not JsonArray array || segment.Index >= array.Count)
                {
                    return null;
                }

                node = array[segment.Index];
            }
            else if (segment.FilterName is not null)
            {
                if (node is not JsonArray array || Find(array, in segment) is not { } found)
                {
                    return null;
                }

                node = found;
            }
        }

        return node;
    }

    /// <summary>
    /// The decimal sum of every value at this path, stepping into each item of the arrays on the way
    /// (<c>line_items.discount_allocations.amount</c>); missing values count as zero.
    /// </summary>
    public decimal Sum(JsonNode? root) => Sum(root, out _);

    /// <summary>As <see cref="Sum(JsonNode?)"/>; <paramref name="found"/> says whether any value was at the path.</summary>
    public decimal Sum(JsonNode? root, out bool found)
    {
        found = false;
        return Sum(root, 0, ref found);
    }

    private decimal Sum(JsonNode? node, int from, ref bool found)
    {
        if (node is JsonArray items && (from < _segments.Length || _segments.Length == 0))
        {
            var total = 0m;
            for (var i = 0; i < items.Count; i++)
            {
                total += Sum(items[i], from, ref found);
            }

            return total;
        }

        if (from == _segments.Length)
        {
            if (Transforms.JsonValues.IsMissing(node))
            {
                return 0m;
            }

            found = true;
            return Transforms.JsonValues.ToDecimal(node, "sum");
        }

        ref readonly var segment = ref _segments[from];
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment.Name, out var next))
        {
            return 0m;
        }

        if (segment.Index >= 0)
        {
            next = next is JsonArray array && segment.Index < array.Count ? array[segment.Index] : null;
        }
        else if (segment.FilterName is not null)
        {
            next = next is JsonArray array ? Find(array, in segment) : null;
        }

        return Sum(next, from + 1, ref found);
    }

    /// <summary>Writes <paramref name="value"/> at this path, creating the objects on the way.</summary>
    public void Write(JsonObject root, JsonNode? value)
    {
        var obj = root;
        for (var i = 0; i < _segments.Length - 1; i++)
        {
            var segment = _segments[i];
            if (!obj.TryGetPropertyValue(segment.Name, out var next) || next is null)
            {
                next = segment.Index >= 0 || segment.FilterName is not null ? new JsonArray() : new JsonObject();
                obj[segment.Name] = next;
            }

            if (segment.Index >= 0)
            {
                var array = (JsonArray)next;
                while (array.Count <= segment.Index)
                {
                    array.Add(new JsonObject());
                }

                next = array[segment.Index] ??= new JsonObject();
            }
            else if (segment.FilterName is not null)
            {
                if (next is not JsonArray array)
                {
                    obj[segment.Name] = array = [];
                }

                next = Find(array, segment);
                if (next is null)
                {
                    next = new JsonObject { [segment.FilterName] = segment.FilterValue };
                    array.Add(next);
                }
            }

            obj = next as JsonObject ?? throw new InvalidOperationException($"'{Text}' crosses a value that is not an object");
        }

        var last = _segments[^1];
        if (last.FilterName is not null)
        {
            throw new InvalidOperationException($"'{Text}' ends in a filter: write to a member of the item (…].value)");
        }

        if (last.Index < 0)
        {
            obj[last.Name] = value;
            return;
        }

        if (!obj.TryGetPropertyValue(last.Name, out var existing) || existing is not JsonArray list)
        {
            obj[last.Name] = list = [];
        }

        while (list.Count <= last.Index)
        {
            list.Add(null);
        }

        list[last.Index] = value;
    }

    public override string ToString() => Text;

    internal static JsonObject? Find(JsonArray array, in Segment segment)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject obj && obj[segment.FilterName!] is JsonValue v && Transforms.JsonValues.Text(v) == segment.FilterValue)
            {
                return obj;
            }
        }

        return null;
    }

    // Index >= 0: a[2]; FilterName set: a[key=value] (the item whose 'key' is 'value', e.g. meta_data[key=erp_credit_limit]).
    // Encoded is the name as the target writer writes it (escaped once, here).
    internal readonly record struct Segment(string Name, int Index, string? FilterName, string? FilterValue, System.Text.Json.JsonEncodedText Encoded);

    private static System.Text.Json.JsonEncodedText Encode(string name) =>
        System.Text.Json.JsonEncodedText.Encode(name, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}
