namespace Integration.Erp.Sales;

/// <summary>
/// A store order's invoice as posted (after its payments), whether it was posted before (a redelivery), and per payment
/// asked for its document (null where none was made: nothing was outstanding, or a zero amount).
/// </summary>
public sealed record InvoicePosting(SalesDocument Invoice, bool Existed, IReadOnlyList<SalesDocument?> Payments);
