namespace Integration.Erp.Ledger;

/// <summary>
/// What a document posts to the ledger: a journal entry today; sales and purchase documents post through the same
/// <see cref="LedgerPosting"/> path.
/// </summary>
public sealed record Voucher(
    string Company,
    string VoucherType,
    DateOnly PostingDate,
    IReadOnlyList<VoucherLine> Lines,
    string? Remarks = null);
