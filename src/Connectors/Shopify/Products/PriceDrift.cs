namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// A variant whose price or compare-at (was) price the store showed otherwise than the ERP's, found by a compared push
/// (and then set); a null compare-at price is none.
/// </summary>
public sealed record PriceDrift(string Sku, decimal? StorePrice, decimal? StoreCompareAtPrice, decimal? ErpPrice, decimal? ErpCompareAtPrice);
