namespace Integration.Connectors.Erp.Activities;

/// <summary>A refund the store made of an order: its id and the lines it gave back.</summary>
internal sealed record StoreRefund(string Id, IReadOnlyList<ReturnedLine>? Lines);
