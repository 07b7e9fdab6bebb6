namespace Integration.Connectors.Eta.Issuing;

/// <summary>Which receipts to list: all filters optional; newest first.</summary>
public sealed record EtaReceiptQuery(
    string? State = null, string? Device = null, string? Company = null, long? DocumentId = null, string? DocumentNo = null, string? Uuid = null,
    int Page = 1, int PageSize = 50);
