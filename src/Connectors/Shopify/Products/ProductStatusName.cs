namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// Shopify's <c>ProductStatus</c> from either its own name or the ERP's item status: an item on hold is a draft (hidden,
/// kept for later), a disabled or discontinued one is archived.
/// </summary>
public static class ProductStatusName
{
    public static string Parse(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "ACTIVE" => "ACTIVE",
        "DRAFT" or "ON HOLD" or "ON_HOLD" or "HOLD" => "DRAFT",
        "ARCHIVED" or "DISABLED" or "DISCONTINUED" => "ARCHIVED",
        _ => throw new FormatException($"'{status}' is not a product status: use ACTIVE, DRAFT or ARCHIVED, or the ERP's Active, On hold, Disabled or Discontinued."),
    };

    /// <summary>
    /// The status of an ERP product in Shopify: the template's (or simple item's) own, unless it is active and has
    /// variants, when the product shows while one variant is active, is a draft once every variant is on hold (or
    /// archived with some on hold), and archived once every variant is.
    /// </summary>
    public static string Of(ErpProduct product)
    {
        var own = Parse(product.Status);
        if (own != "ACTIVE" || !product.IsTemplate || product.Variants.Count == 0)
        {
            return own;
        }

        var variants = product.Variants.Select(v => v.Status is null ? "ACTIVE" : Parse(v.Status)).ToList();
        return variants.Contains("ACTIVE") ? "ACTIVE" : variants.Contains("DRAFT") ? "DRAFT" : "ARCHIVED";
    }
}
