namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// What writing an ERP product did: the product id, whether it was created or changed, the variations created and
/// changed, the images uploaded (sideloaded by URL) and the category. Nothing created or changed: the store already
/// showed the ERP's product. Variations extra: those the store shows with a SKU the ERP's product does not list (retired once the ERP confirms).
/// Quantities set: the products and variations created with the ERP's stock.
/// </summary>
public sealed record CatalogueSync(
    long ProductId, bool Created, bool ProductChanged, IReadOnlyList<string> VariationsCreated, IReadOnlyList<string> VariationsChanged,
    int ImagesUploaded, long CategoryId, IReadOnlyList<string> VariationsExtra)
{
    public int QuantitiesSet { get; init; }

    /// <summary>The SKUs of the product (a simple one) and variations created now, whose stock and price the sync set from what it was given.</summary>
    public IReadOnlyList<string> CreatedSkus { get; init; } = [];

    public bool Unchanged => !Created && !ProductChanged && VariationsCreated.Count == 0 && VariationsChanged.Count == 0;
}
