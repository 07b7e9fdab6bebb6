namespace Integration.Erp.Items;

/// <summary>
/// What a sales line needs of its item: whether it can be sold (not on hold, not a template of variants), whether it
/// moves stock, and its effective group.
/// </summary>
internal sealed record SaleItem(string Status, bool IsStockItem, ItemGroup Group, bool IsTemplate = false);
