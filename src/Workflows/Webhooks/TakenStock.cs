namespace Integration.Workflows.Webhooks;

/// <summary>Units of a SKU an order (by its id in the store, as its ERP documents carry it) took from a warehouse's stock.</summary>
public sealed record TakenStock(string OrderId, string Sku, string Warehouse, decimal Qty);
