namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// WooCommerce's post status from the ERP item status (or its own name): an item on hold is a draft (hidden, kept for
/// later), a disabled or discontinued one private (kept for old orders, not sold). A variation knows only publish and
/// private (enabled or disabled), so a held variation is private.
/// </summary>
public static class ProductStatus
{
    public static string Parse(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "ACTIVE" or "PUBLISH" => "publish",
        "ON HOLD" or "ON_HOLD" or "HOLD" or "DRAFT" => "draft",
        "DISABLED" or "DISCONTINUED" or "PRIVATE" => "private",
        _ => throw new FormatException($"'{status}' is not a product status: use publish, draft or private, or the ERP's Active, On hold, Disabled or Discontinued."),
    };

    /// <summary>The status a variation can take for <paramref name="productStatus"/>.</summary>
    public static string ForVariation(string productStatus) => productStatus == "publish" ? "publish" : "private";
}
