using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// The complete <c>productSet</c> input of an ERP product (the <c>product</c> of <c>Erp.GetCatalogueItem</c>): title,
/// description, product type (the item group), status, options, every variant and every image. List fields are sent
/// whole, since productSet deletes what they leave out (a variant's own image is its <c>file</c>, also in <c>files</c>): existing variants keep their ids (matched by SKU), existing
/// images their media ids (matched through the key map by checksum). <c>collections</c> and <c>metafields</c> are
/// never sent, so the store's own are left alone; so are handle, tags and vendor (the store masters them).
/// </summary>
internal static class ProductSetInput
{
    /// <summary>Shopify's option of a product without options.</summary>
    public const string DefaultOption = "Title";

    public const string DefaultOptionValue = "Default Title";

    /// <summary>One productSet may carry this many variants here (one page of the answer's variants).</summary>
    public const int MaxVariants = 250;

    public static JsonObject Build(
        ErpProduct product, IReadOnlyDictionary<string, long> variantIds, IReadOnlyList<string?> mediaIds, IReadOnlyDictionary<string, VariantPrice> prices,
        IReadOnlyDictionary<string, IReadOnlyDictionary<long, int>> stock, string status)
    {
        var options = new JsonArray();
        var hasOptions = product.Options.Count > 0;
        if (hasOptions)
        {
            foreach (var (option, i) in product.Options.Select((o, i) => (o, i)))
            {
                options.Add(new JsonObject
                {
                    ["name"] = option.Name,
                    ["position"] = i + 1,
                    ["values"] = new JsonArray([.. option.Values.Select(v => (JsonNode?)new JsonObject { ["name"] = v })]),
                });
            }
        }
        else
        {
            // A product without options: Shopify's own Title/Default Title, or the variants' names when a template
            // declares no option but has several variants.
            var values = product.IsTemplate ? product.Variants.Select(v => v.Name).ToList() : [DefaultOptionValue];
            options.Add(new JsonObject
            {
                ["name"] = DefaultOption,
                ["position"] = 1,
                ["values"] = new JsonArray([.. values.Select(v => (JsonNode?)new JsonObject { ["name"] = v })]),
            });
        }

        var files = new JsonArray();
        for (var i = 0; i < product.Images.Count; i++)
        {
            var image = product.Images[i];
            files.Add(mediaIds[i] is { } media
                ? new JsonObject { ["id"] = media, ["alt"] = image.AltText ?? "" }
                : new JsonObject { ["originalSource"] = image.Url, ["alt"] = image.AltText ?? "", ["contentType"] = "IMAGE" });
        }

        var variants = new JsonArray();
        foreach (var variant in product.Variants)
        {
            var input = new JsonObject();
            if (variantIds.TryGetValue(variant.Sku, out var id))
            {
                input["id"] = ShopifyGid.Format("ProductVariant", id);
            }

            input["sku"] = variant.Sku;
            input["optionValues"] = hasOptions
                ? new JsonArray([.. product.Options.Where(o => variant.Attributes.ContainsKey(o.Name))
                    .Select(o => (JsonNode?)new JsonObject { ["optionName"] = o.Name, ["name"] = variant.Attributes[o.Name] })])
                : new JsonArray(new JsonObject { ["optionName"] = DefaultOption, ["name"] = product.IsTemplate ? variant.Name : DefaultOptionValue });
            input["barcode"] = variant.Barcodes.Count > 0 ? variant.Barcodes[0] : "";
            if (variant.ImageChecksum is { } checksum)
            {
                // Shopify wants the variant's file in the product's files too: the same entry, by id or URL.
                var at = product.Images.ToList().FindIndex(i => i.Checksum.Equals(checksum, StringComparison.OrdinalIgnoreCase));
                input["file"] = files[at]!.DeepClone();
            }

            // Tracked, so the ERP's stock push has an inventory item to set; an item the ERP keeps no stock of (a
            // service) is not, or Shopify would show it sold out.
            input["inventoryItem"] = new JsonObject { ["tracked"] = variant.IsStockItem };
            if (id == 0 && prices.TryGetValue(variant.Sku, out var price))
            {
                // Prices belong to shopify-prices; a new variant starts at the ERP's price instead of 0.00.
                if (price.Price is { } amount)
                {
                    input["price"] = amount.ToString(CultureInfo.InvariantCulture);
                }

                if (price.CompareAtPrice is { } was)
                {
                    input["compareAtPrice"] = was.ToString(CultureInfo.InvariantCulture);
                }
            }

            if (id == 0 && stock.TryGetValue(variant.Sku, out var levels) && levels.Count > 0)
            {
                // Stock belongs to the stock push; a new variant starts at what the ERP promises instead of none, since
                // the push may have passed its SKU before the variant existed.
                input["inventoryQuantities"] = new JsonArray([.. levels.Select(l => (JsonNode?)new JsonObject
                {
                    ["locationId"] = ShopifyGid.Format("Location", l.Key),
                    ["name"] = "available",
                    ["quantity"] = l.Value,
                })]);
            }

            variants.Add(input);
        }

        return new JsonObject
        {
            ["title"] = product.Name,
            ["descriptionHtml"] = string.IsNullOrEmpty(product.Description) ? "" : WebUtility.HtmlEncode(product.Description),
            ["productType"] = product.ItemGroupName,
            ["status"] = status,
            ["productOptions"] = options,
            ["variants"] = variants,
            ["files"] = files,
        };
    }
}
