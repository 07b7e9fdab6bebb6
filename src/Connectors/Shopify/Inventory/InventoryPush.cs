namespace Integration.Connectors.Shopify.Inventory;

/// <summary>What a stock push did: quantities set, lines skipped (with why) and requests sent.</summary>
public sealed record InventoryPush(int Set, IReadOnlyList<SkippedLine> Skipped, int Requests);

/// <summary>A line the store could not take: its SKU, warehouse and the reason (unknown SKU, unmapped warehouse, a user error code).</summary>
public sealed record SkippedLine(string? Sku, string? Warehouse, string Reason);
