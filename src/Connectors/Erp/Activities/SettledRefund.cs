using Integration.Erp.Sales;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A store refund whose money was paid back: the refund, the account it was paid from, and when. A refund of money
/// without goods (moneyOnly) also names its order and the amount, for the part its order's overpayment covers.
/// </summary>
internal sealed record SettledRefund(DocumentSource Source, string RefundAccount, string? PostingDate = null, DocumentSource? Order = null, decimal Amount = 0, bool MoneyOnly = false);
