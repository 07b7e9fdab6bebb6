namespace Integration.Erp.Prices;

/// <summary>
/// A promotion on items or item groups for a date range: Percentage or Amount off each unit, or BuyXGetY (buy
/// <see cref="BuyQty"/>, get <see cref="FreeQty"/> free). It applies from <see cref="MinQty"/> units, on one channel or all,
/// to the price lists of its <see cref="Currency"/> (an Amount's; any other kind's when given) or of every currency.
/// </summary>
public sealed record Promotion(
    string Company, string Id, string Name, string Kind, decimal Value, IReadOnlyList<string> Skus, IReadOnlyList<string> ItemGroups,
    DateOnly ValidFrom, DateOnly ValidTo, decimal MinQty, decimal BuyQty, decimal FreeQty, string? Channel, string? Currency = null)
{
    public static readonly IReadOnlyList<string> Kinds = ["Percentage", "Amount", "BuyXGetY"];

    /// <summary>The unit price after this promotion for <paramref name="qty"/> units at <paramref name="basePrice"/>.</summary>
    public decimal Apply(decimal basePrice, decimal qty) => Kind switch
    {
        "Percentage" => basePrice * (1 - (Value / 100m)),
        // An amount as large as the price is no deal on that item (a promotion of 50 off on everything would give away
        // what costs 40): the item keeps its price.
        "Amount" => Value < basePrice ? basePrice - Value : basePrice,
        _ when BuyQty + FreeQty > 0 && qty > 0 => basePrice * (qty - (Math.Floor(qty / (BuyQty + FreeQty)) * FreeQty)) / qty,
        _ => basePrice,
    };
}
