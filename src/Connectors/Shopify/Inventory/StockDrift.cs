namespace Integration.Connectors.Shopify.Inventory;

/// <summary>
/// A quantity the store showed otherwise than the ERP promises, found by a compared push (and then set):
/// <see cref="StoreQuantity"/> null when the item is not stocked at the warehouse's location.
/// </summary>
public sealed record StockDrift(string Sku, string? Warehouse, int? StoreQuantity, int ErpQuantity);
