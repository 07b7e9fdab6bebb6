namespace Integration.Erp.Companies;

/// <summary>A legal entity with its own chart of accounts, cost centers, fiscal years and currency.</summary>
public sealed record Company(
    string Id,
    string Name,
    string Currency,
    int CurrencyPrecision,
    string? RoundOffAccount,
    string? DefaultCostCenter,
    bool AllowNegativeStock = false,
    string? StockAdjustmentAccount = null,
    string? StockReceivedNotBilledAccount = null,
    string? ReceivableAccount = null,
    string? OutputTaxAccount = null);
