namespace Integration.Erp.Prices;

/// <summary>
/// The price of an item for a channel on a date: the price list's base price, and the best promotion's price with
/// the base as compare-at price. <see cref="ChangesOn"/> is the next date the answer may change (a price or a
/// promotion starts or ends), so a store sync knows when to look again. <see cref="PromotionFrom"/> and
/// <see cref="PromotionTo"/> are the first and last day of the promotion applied, for stores that schedule sales.
/// </summary>
public sealed record EffectivePrice(
    string Sku, string PriceList, DateOnly Date, decimal BasePrice, decimal Price, decimal? CompareAtPrice, string? Promotion, DateOnly? ChangesOn,
    DateOnly? PromotionFrom = null, DateOnly? PromotionTo = null);
