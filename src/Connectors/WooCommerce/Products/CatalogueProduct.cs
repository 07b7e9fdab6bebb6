using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// An ERP product as <c>Erp.GetCatalogueItem</c> gives it, as a WooCommerce product is written from it: a template
/// with variants becomes a variable product with one variation per variant; a simple item a simple product.
/// </summary>
public sealed record CatalogueProduct(
    string Sku, string Name, string? Description, string ItemGroup, string ItemGroupName, string Status, bool IsTemplate,
    IReadOnlyList<CatalogueOption> Options, IReadOnlyList<CatalogueVariant> Variants, IReadOnlyList<CatalogueImage> Images, bool IsStockItem = true)
{
    /// <summary>Reads the activity's JSON; a bad shape is a <see cref="FormatException"/> naming the field.</summary>
    public static CatalogueProduct From(JsonObject json)
    {
        static string Text(JsonNode? node, string name) => node is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim().Length > 0 ? text.Trim()
            : throw new FormatException($"The ERP product has no '{name}'.");
        var sku = Text(json["sku"], "sku");
        var images = (json["images"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => new CatalogueImage((string?)i["sku"] ?? sku, Text(i["url"], "images[].url"), Text(i["checksum"], "images[].checksum"), (string?)i["altText"], (int?)i["position"] ?? 0))
            .ToList();
        var isTemplate = (bool?)json["isTemplate"] ?? false;
        return new CatalogueProduct(
            sku, Text(json["name"], "name"), (string?)json["description"], Text(json["itemGroup"], "itemGroup"),
            (string?)json["itemGroupName"] ?? Text(json["itemGroup"], "itemGroup"), Text(json["status"], "status"), isTemplate,
            [.. (json["options"] as JsonArray ?? []).OfType<JsonObject>().Select(o => new CatalogueOption(
                Text(o["name"], "options[].name"), [.. (o["values"] as JsonArray ?? []).Select(v => (string?)v).OfType<string>()]))],
            isTemplate
                ? [.. (json["variants"] as JsonArray ?? []).OfType<JsonObject>().Select(v => new CatalogueVariant(
                    Text(v["sku"], "variants[].sku"), Text(v["name"], "variants[].name"), (string?)v["status"] ?? "Active",
                    (v["attributes"] as JsonObject ?? []).Where(a => a.Value is JsonValue).ToDictionary(a => a.Key, a => a.Value!.ToString(), StringComparer.Ordinal),
                    (bool?)v["isStockItem"] ?? true))]
                : [],
            // The product's own images by position first, then each variant's: WooCommerce's first image is the featured one.
            [.. images.Where(i => i.Sku == sku).OrderBy(i => i.Position), .. images.Where(i => i.Sku != sku)],
            (bool?)json["isStockItem"] ?? true);
    }

    /// <summary>The first image of a variant, if it has one of its own.</summary>
    public CatalogueImage? ImageOf(string variantSku) => Images.Where(i => i.Sku == variantSku).OrderBy(i => i.Position).FirstOrDefault();
}

/// <summary>A template attribute the variants differ by, with the values they use (a WooCommerce variation attribute).</summary>
public sealed record CatalogueOption(string Name, IReadOnlyList<string> Values);

/// <summary>A variant of a template: its SKU, status and attribute values, and whether the ERP keeps stock of it.</summary>
public sealed record CatalogueVariant(string Sku, string Name, string Status, IReadOnlyDictionary<string, string> Attributes, bool IsStockItem = true);

/// <summary>An image of the product (or of one variant, <see cref="Sku"/>) by URL; the checksum names the picture.</summary>
public sealed record CatalogueImage(string Sku, string Url, string Checksum, string? AltText, int Position);
