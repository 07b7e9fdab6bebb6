namespace Integration.Erp.Items;

/// <summary>A node of the item group tree, carrying the accounts and cost center its items post to by default.</summary>
public sealed record ItemGroup(
    string Company, string Id, string Name, string? Parent, bool IsGroup,
    string? IncomeAccount, string? CogsAccount, string? StockAccount, string? CostCenter);
