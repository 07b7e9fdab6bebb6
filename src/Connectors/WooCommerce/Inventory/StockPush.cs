namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>
/// What a stock push did: quantities set, lines not set (and why), batch requests sent; a compared push also counts the
/// quantities the store already showed (<see cref="Unchanged"/>, not sent), lists those it showed otherwise, and counts
/// the requests that read them.
/// </summary>
public sealed record StockPush(int Set, IReadOnlyList<SkippedStock> Skipped, int Requests)
{
    public int Unchanged { get; init; }

    public IReadOnlyList<StockDrift> Drift { get; init; } = [];

    public int Reads { get; init; }
}

/// <summary>A line a stock push did not set, with the reason.</summary>
public sealed record SkippedStock(string? Sku, string? Warehouse, string Reason);
