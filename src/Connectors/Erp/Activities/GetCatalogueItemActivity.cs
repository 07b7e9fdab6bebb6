using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Erp.Items;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.GetCatalogueItem</c>: the product an item belongs to, as a store's catalogue needs it: the template (or
/// the simple item) with every variant, the options its variants differ by, its group and its images in order.
/// </summary>
internal sealed class GetCatalogueItemActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.GetCatalogueItem", "ERP", "Get catalogue item",
        [new InputDescriptor("company", "String", true), new InputDescriptor("sku", "String", true, Description: "Any item: a variant leads to its template's product.")],
        [
            new OutputDescriptor("product", "Object",
                "{ sku, name, description, itemGroup, itemGroupName, status, isTemplate, isStockItem, barcodes, options [{ name, values }], variants [{ sku, name, status, isStockItem, barcodes, attributes }], images [{ sku, position, url, checksum, altText }]: the product's in order, then each variant's; isStockItem false for an item the ERP keeps no stock of (a service), which a store should not count }"),
            new OutputDescriptor("skus", "Object", "The SKUs sold: the variants' (a template), or the item's own (a simple item)."),
        ],
        ["Done", "NotFound"],
        Description: "Reads an item's product from the ERP: template, variants, options, group and images. The options are the template's attributes that list allowed values, with the values its variants use, in the template's order.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var found = await context.Services!.GetRequiredService<ItemCatalogue>()
            .GetProductAsync(context.Input<string>("company")!, context.Input<string>("sku")!, context.CancellationToken);
        if (found is null)
        {
            return ActivityResult.Outcome("NotFound");
        }

        var (product, group, variants, images) = found;
        var options = new JsonArray();
        foreach (var (name, allowed) in product.Attributes.Where(a => a.Value.ValueKind == JsonValueKind.Array))
        {
            var used = variants.Select(v => v.Attributes.TryGetValue(name, out var value) ? value.GetString() : null).ToHashSet(StringComparer.Ordinal);
            options.Add(new JsonObject
            {
                ["name"] = name,
                ["values"] = new JsonArray([.. allowed.EnumerateArray().Select(a => a.GetString()).Where(used.Contains).Select(v => (JsonNode?)v)]),
            });
        }

        context.SetOutput("product", new JsonObject
        {
            ["sku"] = product.Sku,
            ["name"] = product.Name,
            ["description"] = product.Description,
            ["itemGroup"] = group.Id,
            ["itemGroupName"] = group.Name,
            ["status"] = product.Status,
            ["isTemplate"] = product.IsTemplate,
            ["isStockItem"] = product.IsStockItem,
            ["barcodes"] = ErpJson.ToNode(product.Barcodes),
            ["options"] = options,
            ["variants"] = new JsonArray([.. variants.Select(v => (JsonNode?)new JsonObject
            {
                ["sku"] = v.Sku,
                ["name"] = v.Name,
                ["status"] = v.Status,
                ["isStockItem"] = v.IsStockItem,
                ["barcodes"] = ErpJson.ToNode(v.Barcodes),
                ["attributes"] = ErpJson.ToNode(v.Attributes),
            })]),
            ["images"] = new JsonArray([.. images.Select(i => (JsonNode?)new JsonObject
            {
                ["sku"] = i.Sku,
                ["position"] = i.Position,
                ["url"] = i.Url,
                ["checksum"] = i.Checksum,
                ["altText"] = i.AltText,
            })]),
        });
        context.SetOutput("skus", new JsonArray([.. (product.IsTemplate ? variants.Select(v => v.Sku) : [product.Sku]).Select(s => (JsonNode?)s)]));
        return ActivityResult.Done;
    }
}
