namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// What a price push did: variants updated and lines not pushed (with why); a compared push also counts the variants
/// that already showed the ERP's prices (<see cref="Unchanged"/>, not sent) and lists those that showed others.
/// <see cref="Refused"/> (also in <see cref="Skipped"/>): the lines of products whose update the store refused.
/// </summary>
public sealed record PricePush(int Updated, IReadOnlyList<(string? Sku, string Reason)> Skipped)
{
    public int Unchanged { get; init; }

    public IReadOnlyList<PriceDrift> Drift { get; init; } = [];

    public IReadOnlyList<(string? Sku, string Reason)> Refused { get; init; } = [];
}
