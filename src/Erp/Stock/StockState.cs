namespace Integration.Erp.Stock;

/// <summary>A FIFO lot: what is left of one receipt, at its rate. A negative lot is stock issued that was not there.</summary>
public sealed record StockLot(decimal Qty, decimal Rate);

/// <summary>
/// The stock of one item in one warehouse after a movement: quantity, value (in company currency, rounded to its
/// precision, so it always equals what the stock account holds for it), valuation rate and, for FIFO, the lots.
/// </summary>
public sealed record StockState(decimal Qty, decimal Value, decimal Rate, IReadOnlyList<StockLot> Lots)
{
    public static readonly StockState Empty = new(0, 0, 0, []);
}
