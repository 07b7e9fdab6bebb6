namespace Integration.Erp.Ledger;

/// <summary>A posted voucher: its GL entries, a round-off line if one was needed, and budget warnings.</summary>
public sealed record PostingResult(
    long VoucherId,
    string VoucherNo,
    IReadOnlyList<GlEntry> Entries,
    decimal RoundOff,
    IReadOnlyList<string> Warnings);
