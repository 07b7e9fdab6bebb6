namespace Integration.Connectors.Shopify.Catalogue;

/// <summary>A store variant as the SKU index knows it: what the mutations of stock, status and price address.</summary>
public sealed record CatalogueVariant(string Sku, long VariantId, long ProductId, long InventoryItemId);
