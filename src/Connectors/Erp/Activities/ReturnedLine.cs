namespace Integration.Connectors.Erp.Activities;

/// <summary>A refunded line as a store reports it: the store's line id and how many came back.</summary>
internal sealed record ReturnedLine(string SourceLineId, decimal Qty);
