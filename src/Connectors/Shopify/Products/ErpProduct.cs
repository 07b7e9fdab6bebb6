using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Products;

/// <summary>An ERP product as <c>Erp.GetCatalogueItem</c> gives it: what a Shopify product is written from.</summary>
public sealed record ErpProduct(
    string Sku, string Name, string? Description, string ItemGroup, string ItemGroupName, string Status, bool IsTemplate,
    IReadOnlyList<ErpProductOption> Options, IReadOnlyList<ErpProductVariant> Variants, IReadOnlyList<ErpProductImage> Images)
{
    /// <summary>Reads the activity's JSON; a simple item is its own one variant.</summary>
    public static ErpProduct From(JsonObject json)
    {
        string Text(JsonNode? node, string name) => node?.GetValue<string>() is { Length: > 0 } text ? text
            : throw new FormatException($"The ERP product has no '{name}'.");
        var sku = Text(json["sku"], "sku");
        var name = Text(json["name"], "name");
        var isTemplate = json["isTemplate"]?.GetValue<bool>() ?? false;
        var barcodes = Strings(json["barcodes"]);
        // The product's images by position, then each variant's (a stable sort keeps the variants' order).
        var images = (json["images"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(i => new ErpProductImage(
                i["sku"]?.GetValue<string>() ?? sku, Text(i["url"], "images[].url"), Text(i["checksum"], "images[].checksum"), i["altText"]?.GetValue<string>(),
                i["position"]?.GetValue<int>() ?? 0))
            .OrderBy(i => i.Sku == sku ? 0 : 1).ThenBy(i => i.Sku == sku ? i.Position : 0).ToList();
        string? ImageOf(string variant) => images.Where(i => i.Sku == variant).OrderBy(i => i.Position).FirstOrDefault()?.Checksum;
        var variants = isTemplate
            ? (json["variants"] as JsonArray ?? []).OfType<JsonObject>().Select(v => new ErpProductVariant(
                Text(v["sku"], "variants[].sku"), Text(v["name"], "variants[].name"), Strings(v["barcodes"]),
                (v["attributes"] as JsonObject ?? []).Where(a => a.Value is JsonValue).ToDictionary(a => a.Key, a => a.Value!.ToString(), StringComparer.Ordinal),
                ImageOf(Text(v["sku"], "variants[].sku")), v["status"]?.GetValue<string>(), v["isStockItem"]?.GetValue<bool>() ?? true)).ToList()
            : [new ErpProductVariant(sku, name, barcodes, new Dictionary<string, string>(), null, Text(json["status"], "status"), json["isStockItem"]?.GetValue<bool>() ?? true)];
        return new ErpProduct(
            sku, name, json["description"]?.GetValue<string>(), Text(json["itemGroup"], "itemGroup"),
            json["itemGroupName"]?.GetValue<string>() ?? Text(json["itemGroup"], "itemGroup"), Text(json["status"], "status"), isTemplate,
            [.. (json["options"] as JsonArray ?? []).OfType<JsonObject>().Select(o => new ErpProductOption(Text(o["name"], "options[].name"), Strings(o["values"])))],
            variants,
            // One medium per picture: a variant's image that is also the product's is sent once.
            [.. images.DistinctBy(i => i.Checksum, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>The product without some of its variants, its options keeping only the values the others use.</summary>
    public ErpProduct Without(IReadOnlySet<string> skus)
    {
        var variants = Variants.Where(v => !skus.Contains(v.Sku)).ToList();
        var options = Options
            .Select(o => o with { Values = [.. o.Values.Where(value => variants.Exists(v => v.Attributes.TryGetValue(o.Name, out var used) && used == value))] })
            .Where(o => o.Values.Count > 0).ToList();
        return this with { Variants = variants, Options = options };
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        [.. (node as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>()];
}

/// <summary>An option the variants differ by (a template attribute) and the values they use.</summary>
public sealed record ErpProductOption(string Name, IReadOnlyList<string> Values);

/// <summary>
/// A variant: its option values (<see cref="Attributes"/>), the checksum of its own first image, if it has one, its
/// ERP status (Active, On hold, ...; null when not known), and whether the ERP keeps stock of it (a service does not).
/// </summary>
public sealed record ErpProductVariant(
    string Sku, string Name, IReadOnlyList<string> Barcodes, IReadOnlyDictionary<string, string> Attributes, string? ImageChecksum, string? Status = null,
    bool IsStockItem = true);

/// <summary>An image of the product, or of one variant (<see cref="Sku"/>), at its ERP position.</summary>
public sealed record ErpProductImage(string Sku, string Url, string Checksum, string? AltText, int Position);
