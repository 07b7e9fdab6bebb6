using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Transforms;

/// <summary>What a transform may look at besides the value: the source item and document, the direction, the context and the key map.</summary>
public sealed class TransformScope(MappingDefinition mapping, MappingDirection direction, JsonNode document, MappingContext context, IKeyMap keyMap)
{
    public MappingDefinition Mapping { get; } = mapping;

    public MappingDirection Direction { get; } = direction;

    /// <summary>The source document being mapped.</summary>
    public JsonNode Document { get; } = document;

    // What was read from the current item, by path: an item's fields and their transforms read the same members again
    // (a Shopify line's gift_card four times, its quantities three), and the source does not change during a run.
    private const int MostRemembered = 24;
    private readonly FieldPath?[] _readPaths = new FieldPath?[MostRemembered];
    private readonly JsonNode?[] _readValues = new JsonNode?[MostRemembered];

    // The decimal of a remembered value once a transform asked for it (a line's quantities are prorated twice): 0 not
    // parsed yet, 1 a number, -1 not one.
    private readonly decimal[] _readNumbers = new decimal[MostRemembered];
    private readonly sbyte[] _readNumberKinds = new sbyte[MostRemembered];
    private int _reads;
    private JsonNode _item = document;

    /// <summary>The source object the field is read from: the document, or the current array item.</summary>
    public JsonNode Item
    {
        get => _item;
        internal set
        {
            if (!ReferenceEquals(value, _item))
            {
                _item = value;
                _reads = 0;
            }
        }
    }

    public MappingContext Context { get; } = context;

    public IKeyMap KeyMap { get; } = keyMap;

    public MappingSide Source => Mapping.Source(Direction);

    public MappingSide Target => Mapping.Target(Direction);

    /// <summary>
    /// Reads a path relative to the current item, or a context value for <c>@name</c> (an object or array copied: the
    /// context's own nodes are shared by every run given it).
    /// </summary>
    public JsonNode? Read(FieldPath path)
    {
        Remembered(path, out var value);
        return value;
    }

    /// <summary>As <see cref="JsonValues.TryDecimal"/> of <see cref="Read"/>, parsed once per item and path.</summary>
    public bool TryReadDecimal(FieldPath path, out decimal number)
    {
        var slot = Remembered(path, out var value);
        if (slot < 0)
        {
            return JsonValues.TryDecimal(value, out number);
        }

        if (_readNumberKinds[slot] == 0)
        {
            _readNumberKinds[slot] = JsonValues.TryDecimal(value, out _readNumbers[slot]) ? (sbyte)1 : (sbyte)-1;
        }

        number = _readNumbers[slot];
        return _readNumberKinds[slot] > 0;
    }

    // The value at the path and its slot in the memo (-1 when not remembered: a context value, or the memo is full).
    private int Remembered(FieldPath path, out JsonNode? value)
    {
        if (path.ContextName is { } name)
        {
            value = JsonValues.Shared(Context.Value(name));
            return -1;
        }

        for (var i = 0; i < _reads; i++)
        {
            if (ReferenceEquals(_readPaths[i], path))
            {
                value = _readValues[i];
                return i;
            }
        }

        value = path.Read(_item);
        if (_reads == MostRemembered)
        {
            return -1;
        }

        _readPaths[_reads] = path;
        _readValues[_reads] = value;
        _readNumberKinds[_reads] = 0;
        return _reads++;
    }
}
