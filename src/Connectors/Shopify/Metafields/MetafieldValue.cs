namespace Integration.Connectors.Shopify.Metafields;

/// <summary>A metafield to set: namespace, key, value (as text, as Shopify takes it) and type.</summary>
public sealed record MetafieldValue(string Namespace, string Key, string Value, string Type = MetafieldValue.DefaultType)
{
    public const string DefaultType = "single_line_text_field";
}
