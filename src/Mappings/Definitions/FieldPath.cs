using System.Text.Json.Nodes;

namespace Integration.Mappings.Definitions;

/// <summary>
/// A dotted path into a JSON document (<c>billing_address.first_name</c>, <c>tax_lines[0].rate</c>), split into
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

    /// <summary>Set when the path names a context value (<c>@name</c>).</summary>
    public string? ContextName { get; }

    public static FieldPath Parse(string text)
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
            segments[i] = bracket < 0
                ? new Segment(part, -1)
                : new Segment(part[..bracket], int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
        }

        return new FieldPath(text, segments, null);
    }

    /// <summary>The node at this path, or null when any step is absent.</summary>
    public JsonNode? Read(JsonNode? root)
    {
        var node = root;
        foreach (var segment in _segments)
        {
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
        }

        return node;
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
                next = segment.Index >= 0 ? new JsonArray() : new JsonObject();
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

            obj = next as JsonObject ?? throw new InvalidOperationException($"'{Text}' crosses a value that is not an object");
        }

        var last = _segments[^1];
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

    private readonly record struct Segment(string Name, int Index);
}
