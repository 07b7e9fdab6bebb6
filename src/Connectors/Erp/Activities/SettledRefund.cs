using Integration.Erp.Sales;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A store refund whose money was paid back: the refund, the account it was paid from, and when; its order and the
/// amount paid back, for the part beyond its credit notes (all of it for a refund of money only, moneyOnly) that its
/// order's overpayment covers. <c>MoneyBack</c>: all the refund's money, settled and pending, when the store says: no
/// more of its credit notes is recorded paid back (goods returned for an exchange keep the rest on the customer's account).
/// <c>Failed</c>: none of the refund's money went back (its transactions failed): its credit notes' money stays the
/// customer's credit, which the store's refund made again (money only) pays back; the other fields are not read.
/// </summary>
internal sealed record SettledRefund(DocumentSource Source, string? RefundAccount = null, string? PostingDate = null, DocumentSource? Order = null, decimal Amount = 0, bool MoneyOnly = false,
    decimal? MoneyBack = null, bool Failed = false);
