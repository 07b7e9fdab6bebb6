namespace Integration.Connectors.Erp.Activities;

/// <summary>A refunded line as a store reports it: the store's line id, how many came back, and whether they go back to stock (null: as the return says).</summary>
internal sealed record ReturnedLine(string SourceLineId, decimal Qty, bool? Restock = null);
