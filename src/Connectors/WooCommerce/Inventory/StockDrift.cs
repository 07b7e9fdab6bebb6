namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>
/// A quantity the store showed otherwise than the ERP promises, found by a compared push (and then set):
/// <see cref="StoreQuantity"/> null when the store did not manage the item's stock.
/// </summary>
public sealed record StockDrift(string Sku, string? Warehouse, decimal? StoreQuantity, decimal ErpQuantity);
