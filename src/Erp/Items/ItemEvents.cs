namespace Integration.Erp.Items;

/// <summary>What orders an item's <c>erp.item.changed</c> events among the others.</summary>
internal static class ItemEvents
{
    /// <summary>
    /// The product the item is sold as (its template's SKU for a variant, else its own): a product's changes, whichever
    /// of its items they came from, reach the flows in the order they were made, as a product is written to a store whole.
    /// </summary>
    public static string OrderingKey(string sku, string? templateSku) => templateSku ?? sku;
}
