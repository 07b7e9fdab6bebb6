using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>A product or variation whose prices the store showed otherwise than the ERP's, found by a compared push (and then set).</summary>
public sealed record PriceDrift(string Sku, ShownPrice Store, ShownPrice Erp);

/// <summary>
/// The price fields of a product or variation: the regular price, and the sale price with its scheduled GMT dates (null:
/// none; WooCommerce answers an empty string or null for a field it does not hold).
/// </summary>
public sealed record ShownPrice(decimal? RegularPrice, decimal? SalePrice, string? SaleFromGmt, string? SaleToGmt)
{
    public const string Fields = "id,regular_price,sale_price,date_on_sale_from_gmt,date_on_sale_to_gmt";

    public static ShownPrice Of(JsonObject item) =>
        new(Amount(item["regular_price"]), Amount(item["sale_price"]), Text(item["date_on_sale_from_gmt"]), Text(item["date_on_sale_to_gmt"]));

    private static decimal? Amount(JsonNode? node) =>
        node is JsonValue value && decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;
}
