namespace Integration.Erp.Ledger;

/// <summary>A journal entry as the API shows it: its lines as entered and, once posted, its GL entries.</summary>
public sealed record JournalEntry(
    long Id,
    string Company,
    string VoucherNo,
    DateOnly PostingDate,
    string Status,
    string? Remarks,
    IReadOnlyList<VoucherLine> Lines,
    IReadOnlyList<GlEntry> GlEntries,
    long? Reverses,
    long? ReversedBy,
    IReadOnlyList<string> Warnings);
