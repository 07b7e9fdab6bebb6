namespace Integration.Sandbox;

/// <summary>A line of a demo order: quantity at the item's price, less its share of a discount code.</summary>
public sealed record DemoOrderLine(DemoItem Item, int Qty, decimal Discount)
{
    public const decimal VatRate = 0.14m;

    public decimal Net => (Qty * Item.Price) - Discount;

    public decimal Tax => Money.Round(Net * VatRate);
}
