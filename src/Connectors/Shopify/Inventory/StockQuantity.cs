namespace Integration.Connectors.Shopify.Inventory;

/// <summary>What the ERP promises of a SKU in a warehouse (its available-to-promise quantity, fractions and all).</summary>
public sealed record StockQuantity(string? Sku, string? Warehouse, decimal? Available);
