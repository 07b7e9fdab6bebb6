using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// Shopify refused an ERP product (<c>productSet</c> <c>userErrors</c>: an option value missing, a duplicate variant,
/// an image it cannot fetch...). Nothing of the product was changed; the errors name the input field and code.
/// </summary>
public sealed class ShopifyProductRefusedException(string store, string sku, IReadOnlyList<ShopifyUserError> errors)
    : ShopifyException(store, "ProductSet", $"product of '{sku}' refused: " + string.Join("; ", errors.Select(e => $"{string.Join('.', e.Field)} {e.Code}: {e.Message}")))
{
    public string Sku { get; } = sku;

    public IReadOnlyList<ShopifyUserError> Errors { get; } = errors;
}
