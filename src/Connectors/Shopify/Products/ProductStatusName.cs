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
}
