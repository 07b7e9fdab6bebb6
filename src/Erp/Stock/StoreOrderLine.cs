using Integration.Erp.Sales;

namespace Integration.Erp.Stock;

/// <summary>
/// A line of an order a store has taken (and so lowered its own stock for), as the host received it: the units stay
/// held off the warehouse's available-to-promise until the ERP books the order (a sales order or invoice on its source).
/// </summary>
public sealed record StoreOrderLine(DocumentSource Order, string Sku, string Warehouse, decimal Qty);
