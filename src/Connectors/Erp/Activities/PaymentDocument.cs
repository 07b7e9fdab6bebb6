namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// A payment taken with an invoice: the account the money went to; the amount defaults to what is outstanding; with
/// overpaymentAsCredit an amount above the invoice is taken, the excess a credit to pay back.
/// </summary>
internal sealed record PaymentDocument(string Account, decimal? Amount = null, string? Reference = null, DateOnly? PostingDate = null, bool OverpaymentAsCredit = false);
