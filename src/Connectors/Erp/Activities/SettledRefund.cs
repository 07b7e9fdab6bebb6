using Integration.Erp.Sales;

namespace Integration.Connectors.Erp.Activities;

/// <summary>A store refund whose money was paid back: the refund, the account it was paid from, and when.</summary>
internal sealed record SettledRefund(DocumentSource Source, string RefundAccount, string? PostingDate = null);
