namespace Integration.Erp.Prices;

/// <summary>
/// The decimals a price in a currency is shown with (ISO 4217 minor units): what a store takes as a price. Shopify
/// refuses a price with more, and the whole product's update with it.
/// </summary>
internal static class PriceListCurrency
{
    private static readonly Dictionary<string, int> Exceptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JPY"] = 0, ["KRW"] = 0, ["VND"] = 0, ["CLP"] = 0, ["ISK"] = 0, ["UGX"] = 0,
        ["KWD"] = 3, ["BHD"] = 3, ["OMR"] = 3, ["JOD"] = 3, ["TND"] = 3, ["LYD"] = 3, ["IQD"] = 3,
    };

    /// <summary>2 for most currencies.</summary>
    public static int Decimals(string? currency) =>
        currency is not null && Exceptions.TryGetValue(currency.Trim(), out var places) ? places : 2;
}
