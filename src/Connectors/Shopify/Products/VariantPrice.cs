namespace Integration.Connectors.Shopify.Products;

/// <summary>A SKU's price and, when <see cref="HasCompareAtPrice"/>, its was-price (null: none).</summary>
public sealed record VariantPrice(string? Sku, decimal? Price, decimal? CompareAtPrice, bool HasCompareAtPrice);
