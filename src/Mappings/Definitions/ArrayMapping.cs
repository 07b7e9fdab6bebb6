namespace Integration.Mappings.Definitions;

/// <summary>
/// An array (order lines, variants, addresses) whose items are matched between the two sides by a declared key,
/// never by position. The array's master adds and removes items; each item field has its own master.
/// </summary>
public sealed class ArrayMapping
{
    public required string Name { get; init; }

    public required string DeclaredAt { get; init; }

    public required FieldPath Left { get; init; }

    public required FieldPath Right { get; init; }

    public required FieldMaster Master { get; init; }

    public required FieldPath LeftKey { get; init; }

    public required FieldPath RightKey { get; init; }

    /// <summary>Items of the target that the source (when it masters the array) no longer has are removed.</summary>
    public bool RemoveMissing { get; init; }

    public required IReadOnlyList<FieldMapping> Fields { get; init; }

    /// <summary>Items of the left side whose value at this path equals <see cref="SkipEquals"/> are not mapped (a line edited down to 0).</summary>
    public FieldPath? SkipWhere { get; init; }

    /// <summary>Read instead of <see cref="SkipWhere"/> when the item has nothing there (a value a flow may add, else Shopify's own).</summary>
    public FieldPath? SkipWhereOr { get; init; }

    public System.Text.Json.Nodes.JsonNode? SkipEquals { get; init; }

    public FieldPath PathOn(bool left) => left ? Left : Right;
}
