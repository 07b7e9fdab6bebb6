namespace Integration.Erp.Warehouses;

/// <summary>A place that holds stock (a store or branch is one); its stock account carries the value of what it holds.</summary>
public sealed record Warehouse(string Company, string Id, string Name, string? Parent, bool IsGroup, string? StockAccount);
