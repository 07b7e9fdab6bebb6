namespace Integration.Connectors.WooCommerce.Products;

/// <summary>What a price push did: prices the store took, the SKUs skipped with why, and the batch requests sent.</summary>
public sealed record PricePush(int Updated, IReadOnlyList<SkippedPrice> Skipped, int Requests);

/// <summary>A price not pushed: a SKU the store lacks, a line without a price, a price read before the one pushed, an item the store refused.</summary>
public sealed record SkippedPrice(string? Sku, string Reason);
