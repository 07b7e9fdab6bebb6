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
        if (path.ContextName is { } name)
        {
            return JsonValues.Shared(Context.Value(name));
        }

        for (var i = 0; i < _reads; i++)
        {
            if (ReferenceEquals(_readPaths[i], path))
            {
                return _readValues[i];
            }
        }

        var value = path.Read(_item);
        if (_reads < MostRemembered)
        {
            _readPaths[_reads] = path;
            _readValues[_reads++] = value;
        }

        return value;
    }
}
