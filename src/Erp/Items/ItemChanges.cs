using System.Text.Json;

namespace Integration.Erp.Items;

/// <summary>
/// A partial change of an item: a null member is left as it is. <see cref="Attributes"/> and <see cref="Barcodes"/>
/// replace the whole set when given.
/// </summary>
public sealed record ItemChanges(
    string? Name = null,
    string? Description = null,
    string? ItemGroup = null,
    IReadOnlyDictionary<string, JsonElement>? Attributes = null,
    IReadOnlyList<string>? Barcodes = null);
