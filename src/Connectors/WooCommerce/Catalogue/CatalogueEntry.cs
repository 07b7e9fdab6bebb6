namespace Integration.Connectors.WooCommerce.Catalogue;

/// <summary>Where a SKU lives in a store: a simple product, or a variation of a variable product.</summary>
public sealed record CatalogueEntry(string Sku, long ProductId, long? VariationId)
{
    public bool IsVariation => VariationId is not null;
}
