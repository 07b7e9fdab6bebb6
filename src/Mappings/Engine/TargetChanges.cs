using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Engine;

/// <summary>
/// What a run writes to the target, as a light tree of members (no <see cref="JsonObject"/> per object, no property
/// dictionaries), written out once as UTF-8 JSON; <see cref="MappingResult.Changes"/> is parsed from those bytes only
/// when a caller asks. Writing follows <see cref="FieldPath"/>'s rules exactly (objects and arrays made on the way,
/// <c>a[2]</c> padded, <c>a[key=value]</c> found or added, members kept in the order first written). One instance is
/// reused per thread (<see cref="Rent"/>, <see cref="Return"/>): a run allocates nothing here but the bytes it keeps.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writer holds no resources (it writes to a managed buffer); it lives as long as the thread's instance.")]
internal sealed class TargetChanges
{
    public const int Root = 0;

    // The bytes are read back only by this process's parser: no need to escape non-ASCII or HTML characters.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static TargetChanges? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private Node[] _nodes = new Node[256];
    private int _count;

    private TargetChanges()
    {
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        Reset();
    }

    private enum Kind : byte
    {
        Object,
        Array,
        Value,
    }

    public bool IsEmpty => _nodes[Root].First < 0;

    public static TargetChanges Rent()
    {
        var changes = t_cached ?? new TargetChanges();
        t_cached = null;
        return changes;
    }

    /// <summary>Gives the instance back for the next run on this thread (dropping its references to the documents).</summary>
    public void Return()
    {
        Array.Clear(_nodes, 0, _count);
        Reset();
        if (_buffer.Capacity <= 1 << 20)
        {
            t_cached = this;
        }
    }

    /// <summary>A new object not yet placed (an array item); <paramref name="existing"/> is the target's current item it is merged over.</summary>
    public int NewObject(JsonObject? existing = null)
    {
        var node = Add(Kind.Object, null, default);
        _nodes[node].Existing = existing;
        return node;
    }

    /// <summary>Writes a node, as <see cref="Write(int, FieldPath, MappingValue)"/>.</summary>
    public int Write(int root, FieldPath path, JsonNode? value) => Write(root, path, MappingValue.Of(value));

    /// <summary>Writes <paramref name="value"/> at <paramref name="path"/> under the object <paramref name="root"/>, as <see cref="FieldPath.Write"/> does into a <see cref="JsonObject"/>.</summary>
    public int Write(int root, FieldPath path, MappingValue value)
    {
        var segments = path.Segments;
        var obj = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            var container = segment.Index >= 0 || segment.FilterName is not null ? Kind.Array : Kind.Object;
            var next = Member(obj, in segment);
            if (next < 0)
            {
                next = AddMember(obj, in segment, container, default);
            }
            else if (IsNull(next))
            {
                Become(next, container, default);
            }
            else
            {
                Expand(next);
            }

            if (segment.Index >= 0)
            {
                if (_nodes[next].Kind != Kind.Array)
                {
                    throw new InvalidCastException($"'{path.Text}': '{segment.Name}' is not an array");
                }

                while (_nodes[next].Count <= segment.Index)
                {
                    Append(next, Add(Kind.Object, null, default));
                }

                var item = ItemAt(next, segment.Index);
                if (IsNull(item))
                {
                    Become(item, Kind.Object, default);
                }
                else
                {
                    Expand(item);
                }

                next = item;
            }
            else if (segment.FilterName is not null)
            {
                if (_nodes[next].Kind != Kind.Array)
                {
                    Become(next, Kind.Array, default);
                }

                var item = Find(next, in segment);
                if (item < 0)
                {
                    item = Add(Kind.Object, null, default);
                    AddMember(item, segment.FilterName, Kind.Value, MappingValue.Of(JsonValue.Create(segment.FilterValue)));
                    Append(next, item);
                }

                next = item;
            }

            if (_nodes[next].Kind != Kind.Object)
            {
                throw new InvalidOperationException($"'{path.Text}' crosses a value that is not an object");
            }

            obj = next;
        }

        var last = segments[^1];
        if (last.FilterName is not null)
        {
            throw new InvalidOperationException($"'{path.Text}' ends in a filter: write to a member of the item (…].value)");
        }

        var member = Member(obj, in last);
        if (last.Index < 0)
        {
            if (member < 0)
            {
                member = AddMember(obj, in last, Kind.Value, value);
            }
            else
            {
                Become(member, Kind.Value, value);
            }

            _nodes[member].Written = true;
            return member;
        }

        if (member < 0)
        {
            member = AddMember(obj, in last, Kind.Array, default);
        }
        else
        {
            Expand(member);
            if (_nodes[member].Kind != Kind.Array)
            {
                Become(member, Kind.Array, default);
            }
        }

        while (_nodes[member].Count <= last.Index)
        {
            Append(member, Add(Kind.Value, null, default));
        }

        var at = ItemAt(member, last.Index);
        Become(at, Kind.Value, value);
        _nodes[at].Written = true;
        return at;
    }

    /// <summary>The array at <paramref name="path"/> (as <see cref="FieldPath.Read"/> finds it), or -1 when there is none.</summary>
    public int FindArray(int root, FieldPath path)
    {
        var node = root;
        foreach (var segment in path.Segments)
        {
            if (_nodes[node].Kind != Kind.Object || Member(node, in segment) is var next && next < 0)
            {
                return -1;
            }

            Expand(next);
            if (segment.Index >= 0)
            {
                if (_nodes[next].Kind != Kind.Array || segment.Index >= _nodes[next].Count)
                {
                    return -1;
                }

                next = ItemAt(next, segment.Index);
                Expand(next);
            }
            else if (segment.FilterName is not null)
            {
                if (_nodes[next].Kind != Kind.Array || Find(next, in segment) is var found && found < 0)
                {
                    return -1;
                }

                next = found;
            }

            node = next;
        }

        return _nodes[node].Kind == Kind.Array ? node : -1;
    }

    /// <summary>The array at <paramref name="path"/>, made (replacing what is there) when there is none.</summary>
    public int GetOrAddArray(int root, FieldPath path)
    {
        var array = FindArray(root, path);
        if (array >= 0)
        {
            return array;
        }

        array = Write(root, path, MappingValue.Missing);
        Become(array, Kind.Array, default);
        return array;
    }

    public void Append(int parent, int child)
    {
        ref var p = ref _nodes[parent];
        if (p.Last < 0)
        {
            p.First = child;
        }
        else
        {
            _nodes[p.Last].Next = child;
        }

        p.Last = child;
        p.Count++;
    }

    /// <summary>The changes as UTF-8 JSON (a new array, kept by the result).</summary>
    public byte[] ToUtf8()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        WriteNode(Root);
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private void Reset()
    {
        _count = 0;
        Add(Kind.Object, null, default);
    }

    private int Add(Kind kind, string? name, MappingValue value)
    {
        if (_count == _nodes.Length)
        {
            Array.Resize(ref _nodes, _count * 2);
        }

        _nodes[_count] = new Node { Kind = kind, Name = name, Value = value, First = -1, Last = -1, Next = -1 };
        return _count++;
    }

    private int AddMember(int obj, string name, Kind kind, MappingValue value)
    {
        var node = Add(kind, name, value);
        Append(obj, node);
        return node;
    }

    private int AddMember(int obj, in FieldPath.Segment segment, Kind kind, MappingValue value)
    {
        var node = AddMember(obj, segment.Name, kind, value);
        _nodes[node].EncodedName = segment.Encoded;
        _nodes[node].Encoded = true;
        return node;
    }

    // A path's names are interned, so a member added from a path (Encoded) is its name only when it is the same string.
    private int Member(int obj, in FieldPath.Segment segment)
    {
        var name = segment.Name;
        for (var child = _nodes[obj].First; child >= 0; child = _nodes[child].Next)
        {
            ref readonly var node = ref _nodes[child];
            if (ReferenceEquals(node.Name, name) || (!node.Encoded && string.Equals(node.Name, name, StringComparison.Ordinal)))
            {
                return child;
            }
        }

        return -1;
    }

    private int Member(int obj, string name)
    {
        for (var child = _nodes[obj].First; child >= 0; child = _nodes[child].Next)
        {
            var childName = _nodes[child].Name;
            if (ReferenceEquals(childName, name) || string.Equals(childName, name, StringComparison.Ordinal))
            {
                return child;
            }
        }

        return -1;
    }

    private int ItemAt(int array, int index)
    {
        var child = _nodes[array].First;
        for (var i = 0; i < index; i++)
        {
            child = _nodes[child].Next;
        }

        return child;
    }

    private int Find(int array, in FieldPath.Segment segment)
    {
        for (var item = _nodes[array].First; item >= 0; item = _nodes[item].Next)
        {
            ref readonly var node = ref _nodes[item];
            var key = node.Kind == Kind.Object && Member(item, segment.FilterName!) is var k && k >= 0 && _nodes[k].Kind == Kind.Value ? _nodes[k].Value.ToNode()
                : node.Kind == Kind.Value && node.Value.Node is JsonObject obj ? obj[segment.FilterName!]
                : null;
            if (key is JsonValue v && JsonValues.Text(v) == segment.FilterValue)
            {
                Expand(item);
                return item;
            }
        }

        return -1;
    }

    private bool IsNull(int node) => _nodes[node].Kind == Kind.Value && _nodes[node].Value.Node is null && !_nodes[node].Value.IsNumber;

    private void Become(int node, Kind kind, MappingValue value)
    {
        ref var n = ref _nodes[node];
        n.Kind = kind;
        n.Value = value;
        n.Existing = null;
        n.First = n.Last = -1;
        n.Count = 0;
        n.Written = false;
    }

    // A value written whole (an object or array) that a later path steps into becomes members, as a JsonObject would be walked.
    private void Expand(int node)
    {
        switch (_nodes[node].Value.Node)
        {
            case JsonObject obj when _nodes[node].Kind == Kind.Value:
                Become(node, Kind.Object, default);
                foreach (var (name, value) in obj)
                {
                    AddMember(node, name, Kind.Value, MappingValue.Of(value));
                }

                break;
            case JsonArray array when _nodes[node].Kind == Kind.Value:
                Become(node, Kind.Array, default);
                for (var i = 0; i < array.Count; i++)
                {
                    Append(node, Add(Kind.Value, null, MappingValue.Of(array[i])));
                }

                break;
        }
    }

    private void WriteNode(int index)
    {
        ref readonly var node = ref _nodes[index];
        switch (node.Kind)
        {
            case Kind.Value:
                WriteValue(node.Value, node.Written);
                return;
            case Kind.Array:
                _writer.WriteStartArray();
                for (var child = node.First; child >= 0; child = _nodes[child].Next)
                {
                    WriteNode(child);
                }

                _writer.WriteEndArray();
                return;
        }

        _writer.WriteStartObject();
        if (node.Existing is { } existing)
        {
            // An item merged over the target's current one: its members in their order, replaced where written, then the new ones.
            foreach (var (name, value) in existing)
            {
                _writer.WritePropertyName(name);
                var written = Member(index, name);
                if (written >= 0)
                {
                    WriteNode(written);
                }
                else
                {
                    WriteValue(MappingValue.Of(value), false);
                }
            }

            for (var child = node.First; child >= 0; child = _nodes[child].Next)
            {
                if (!existing.ContainsKey(_nodes[child].Name!))
                {
                    _writer.WritePropertyName(_nodes[child].Name!);
                    WriteNode(child);
                }
            }
        }
        else
        {
            for (var child = node.First; child >= 0; child = _nodes[child].Next)
            {
                ref readonly var member = ref _nodes[child];
                if (member.Encoded)
                {
                    _writer.WritePropertyName(member.EncodedName);
                }
                else
                {
                    _writer.WritePropertyName(member.Name!);
                }

                WriteNode(child);
            }
        }

        _writer.WriteEndObject();
    }

    private void WriteValue(in MappingValue mapped, bool written)
    {
        if (mapped.IsNumber)
        {
            _writer.WriteNumberValue(mapped.Number);
            return;
        }

        var value = mapped.Node;
        if (value is null)
        {
            _writer.WriteNullValue();
        }
        else if (value is JsonValue v && v.GetValueKind() is var kind && kind is JsonValueKind.String or JsonValueKind.Number && v.TryGetValue<JsonElement>(out var element))
        {
            if (kind == JsonValueKind.String)
            {
                // A string of a parsed document is copied as it is written there (valid JSON: no unescaping, checking and escaping again).
                _writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
            }
            else if (written && JsonValues.TryDecimal(v, out var number))
            {
                // A number read from a parsed document is written by value, as the engine always has (JsonValues.Detached).
                _writer.WriteNumberValue(number);
            }
            else
            {
                value.WriteTo(_writer);
            }
        }
        else
        {
            value.WriteTo(_writer);
        }
    }

    private struct Node
    {
        public Kind Kind;
        public bool Written;
        public bool Encoded;
        public JsonEncodedText EncodedName;
        public string? Name;
        public MappingValue Value;
        public JsonObject? Existing;
        public int First;
        public int Last;
        public int Next;
        public int Count;
    }
}
