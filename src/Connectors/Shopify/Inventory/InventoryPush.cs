namespace Integration.Connectors.Shopify.Inventory;

/// <summary>
/// What a stock push did: quantities set, lines skipped (with why) and requests sent; a compared push also counts the
/// quantities the store already showed (<see cref="Unchanged"/>, not sent) and lists those it showed otherwise.
/// </summary>
public sealed record InventoryPush(int Set, IReadOnlyList<SkippedLine> Skipped, int Requests)
{
    public int Unchanged { get; init; }

    public IReadOnlyList<StockDrift> Drift { get; init; } = [];

    /// <summary>
    /// SKUs the store has on more than one variant (Shopify does not make SKUs unique): each variant keeps its own stock,
    /// so each was shown the whole balance, and the store may sell those units more than once.
    /// </summary>
    public IReadOnlyList<string> Shared { get; init; } = [];
}

/// <summary>A line the store could not take: its SKU, warehouse and the reason (unknown SKU, unmapped warehouse, a user error code).</summary>
public sealed record SkippedLine(string? Sku, string? Warehouse, string Reason);
