namespace Integration.Erp.Ledger;

/// <summary>
/// One line of a voucher. <see cref="Debit"/> and <see cref="Credit"/> are in the line's <see cref="Currency"/>
/// (the company currency when null) and converted at <see cref="ExchangeRate"/>; exactly one of them is positive.
/// <see cref="NoStockAccount"/>: the line may not name a stock account (a sale's income), though its voucher moves stock.
/// </summary>
public sealed record VoucherLine(
    string Account,
    decimal Debit = 0,
    decimal Credit = 0,
    string? CostCenter = null,
    string? PartyType = null,
    string? Party = null,
    string? Currency = null,
    decimal ExchangeRate = 1,
    string? Remarks = null,
    bool NoStockAccount = false);
