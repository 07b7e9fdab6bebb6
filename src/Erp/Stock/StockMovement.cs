namespace Integration.Erp.Stock;

/// <summary>
/// One change to the stock of an item in a warehouse. <see cref="Qty"/> is positive for what comes in (at
/// <see cref="IncomingRate"/>, or the valuation of <see cref="ValueFrom"/> for a transfer's receiving side) and
/// negative for what goes out. For a reconciliation, <see cref="CountedQty"/> and <see cref="IncomingRate"/> replace
/// the books. The value change is posted against <see cref="CounterAccount"/>, unless <see cref="PostsGl"/> is false
/// (the receiving side of a transfer, whose value the issuing side already moved between the stock accounts).
/// <see cref="ExactValue"/> fixes a receipt's value (a sales return comes back at exactly what it cost).
/// </summary>
internal sealed record StockMovement(
    int LineNo,
    string Sku,
    string Warehouse,
    decimal Qty,
    decimal? IncomingRate,
    string CounterAccount,
    string? CounterCostCenter,
    decimal? CountedQty = null,
    int? ValueFrom = null,
    bool PostsGl = true,
    decimal? ExactValue = null);
