namespace Integration.Erp.CostCenters;

/// <summary>A node of a company's cost center tree; income and expense lines land on ledger (non-group) cost centers.</summary>
public sealed record CostCenter(string Company, string Id, string Name, string? Parent, bool IsGroup, bool Disabled);
