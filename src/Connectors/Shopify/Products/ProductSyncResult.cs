using Integration.Connectors.Shopify.Catalogue;

namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// What a product sync did: the product (gid), whether it was created, its variants now, the variants and images
/// productSet deleted on purpose (the ERP no longer has them), the images uploaded, the group's collection, and the
/// quantities the variants created now started with (one per variant and location).
/// </summary>
public sealed record ProductSyncResult(
    string ProductId,
    bool Created,
    IReadOnlyList<CatalogueVariant> Variants,
    IReadOnlyList<string> DeletedVariants,
    int ImagesUploaded,
    int ImagesDeleted,
    string? CollectionId)
{
    public int QuantitiesSet { get; init; }

    /// <summary>The SKUs of the variants created now, whose stock and price the sync set from what it was given.</summary>
    public IReadOnlyList<string> CreatedSkus { get; init; } = [];

    /// <summary>The status written: ACTIVE, DRAFT or ARCHIVED.</summary>
    public string Status { get; init; } = "ACTIVE";

    /// <summary>In a store that prices its products: the variants showing 0.00 (see <see cref="StorePricedProduct"/>).</summary>
    public IReadOnlyList<string> AtZero { get; init; } = [];
}
