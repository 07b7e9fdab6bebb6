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

    /// <summary>The source object the field is read from: the document, or the current array item.</summary>
    public JsonNode Item { get; internal set; } = document;

    public MappingContext Context { get; } = context;

    public IKeyMap KeyMap { get; } = keyMap;

    public MappingSide Source => Mapping.Source(Direction);

    public MappingSide Target => Mapping.Target(Direction);

    /// <summary>
    /// Reads a path relative to the current item, or a context value for <c>@name</c> (an object or array copied: the
    /// context's own nodes are shared by every run given it).
    /// </summary>
    public JsonNode? Read(FieldPath path) => path.ContextName is { } name ? JsonValues.Shared(Context.Value(name)) : path.Read(Item);
}
