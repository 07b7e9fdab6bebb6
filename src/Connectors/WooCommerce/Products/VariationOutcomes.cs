namespace Integration.Connectors.WooCommerce.Products;

/// <summary>The SKUs of the variations one sync created and changed, and those the store shows that the ERP's product does not list.</summary>
internal sealed record VariationOutcomes(List<string> Created, List<string> Changed, List<string> Extras);
