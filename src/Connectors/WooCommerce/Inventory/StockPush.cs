namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>What a stock push did: quantities set, lines not set (and why), batch requests sent.</summary>
public sealed record StockPush(int Set, IReadOnlyList<SkippedStock> Skipped, int Requests);

/// <summary>A line a stock push did not set, with the reason.</summary>
public sealed record SkippedStock(string? Sku, string? Warehouse, string Reason);
