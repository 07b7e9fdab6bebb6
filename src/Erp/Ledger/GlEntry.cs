namespace Integration.Erp.Ledger;

/// <summary>One immutable line of the general ledger, in company currency with its transaction-currency amounts.</summary>
public sealed record GlEntry(
    long Id,
    string Company,
    long VoucherId,
    string VoucherType,
    string VoucherNo,
    int LineNo,
    DateOnly PostingDate,
    string Account,
    string? PartyType,
    string? Party,
    string? CostCenter,
    decimal Debit,
    decimal Credit,
    string TransactionCurrency,
    decimal ExchangeRate,
    decimal DebitInTransactionCurrency,
    decimal CreditInTransactionCurrency,
    string? Remarks,
    bool IsReversal);
