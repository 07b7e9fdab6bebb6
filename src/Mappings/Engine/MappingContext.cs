using System.Text.Json.Nodes;

namespace Integration.Mappings.Engine;

/// <summary>
/// What a mapping run knows besides the documents: the store, named values (company, warehouse, accounts) that
/// fields read as <c>@name</c>, the records' ids and modification times when the documents do not carry them.
/// </summary>
public sealed class MappingContext
{
    public static MappingContext Empty { get; } = new();

    /// <summary>The store the external record belongs to (key map scope); <c>default</c> when there is one.</summary>
    public string Store { get; init; } = "default";

    public IReadOnlyDictionary<string, JsonNode?> Values { get; init; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>The source record's id, when its document does not carry it at the mapping's id path.</summary>
    public string? SourceId { get; init; }

    /// <summary>The target record's id (for the echo fingerprints of what is written).</summary>
    public string? TargetId { get; init; }

    public DateTimeOffset? SourceModifiedAt { get; init; }

    public DateTimeOffset? TargetModifiedAt { get; init; }

    /// <summary>An echo recognised is removed from the guard, so a later identical change by a person flows.</summary>
    public bool ConsumeEchoes { get; init; } = true;

    public CancellationToken CancellationToken { get; init; }

    /// <summary>A named value; <c>store</c> is the <see cref="Store"/> unless given.</summary>
    public JsonNode? Value(string name) =>
        Values.TryGetValue(name, out var value) ? value : name == "store" ? _store ??= JsonValue.Create(Store) : null;

    // Made once: a value node cannot be changed, so every run may read the same one.
    private JsonNode? _store;

    public JsonObject ValuesAsJson()
    {
        var json = new JsonObject();
        foreach (var (name, value) in Values)
        {
            json[name] = value?.DeepClone();
        }

        return json;
    }
}
