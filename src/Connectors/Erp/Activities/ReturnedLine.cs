namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A refunded line as a store reports it: the store's line id, how many came back, and whether they go back to stock
/// (null: as the return says); or, with <see cref="RestockedInStore"/>, how many units of the line the store has restocked
/// over all its refunds, of which this return restocks what the order's earlier refunds' credit notes did not; and the
/// ERP warehouse they come back to (the store location they were restocked at), the sale's when null.
/// </summary>
internal sealed record ReturnedLine(string SourceLineId, decimal Qty, bool? Restock = null, decimal? RestockedInStore = null, string? Warehouse = null);
