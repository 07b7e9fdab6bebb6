namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// What a SKU should cost in a store: the <see cref="RegularPrice"/>, and during an ERP promotion the
/// <see cref="SalePrice"/> from <see cref="SaleFrom"/> to <see cref="SaleTo"/> (whole days in the store's time zone).
/// No sale price: the sale, if any, is cleared.
/// </summary>
public sealed record WooCommercePrice(string? Sku, decimal? RegularPrice, decimal? SalePrice, DateOnly? SaleFrom, DateOnly? SaleTo);
