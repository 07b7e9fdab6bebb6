namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>One ERP balance to show in a store: the SKU, its warehouse (null: the store's) and its available-to-promise.</summary>
public sealed record StockLine(string? Sku, string? Warehouse, decimal? AvailableToPromise);
