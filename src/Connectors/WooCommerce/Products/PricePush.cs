namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// What a price push did: prices the store took, the SKUs skipped with why, and the batch requests sent; a compared
/// push also counts the items that already showed the ERP's prices (<see cref="Unchanged"/>, not sent), lists those
/// that showed others, and counts the requests that read them.
/// </summary>
public sealed record PricePush(int Updated, IReadOnlyList<SkippedPrice> Skipped, int Requests)
{
    public int Unchanged { get; init; }

    public IReadOnlyList<PriceDrift> Drift { get; init; } = [];

    public int Reads { get; init; }
}

/// <summary>
/// A price not pushed: a SKU the store lacks, a line without a price, a price read before the one pushed, an item the
/// store refused (<see cref="Refused"/>: a plugin's lock, a validation error; not an id the store no longer has, whose
/// SKU the push sends once more after reading the catalogue again).
/// </summary>
public sealed record SkippedPrice(string? Sku, string Reason, bool Refused = false);
