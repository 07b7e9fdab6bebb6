namespace Integration.Erp.Items;

/// <summary>
/// Something sold or stocked, identified by its SKU. An item on hold is neither sold nor offered as available.
/// A template has variants, each with a value for every attribute the template declares (size, color, ...).
/// </summary>
public sealed record Item(
    string Company,
    string Sku,
    string Name,
    string ItemGroup,
    string Uom,
    string? Description,
    string Status,
    bool IsStockItem,
    string ValuationMethod,
    bool IsTemplate,
    string? TemplateSku,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement> Attributes,
    IReadOnlyList<string> Barcodes)
{
    public const string Active = "Active";
    public const string OnHold = "On hold";
}
