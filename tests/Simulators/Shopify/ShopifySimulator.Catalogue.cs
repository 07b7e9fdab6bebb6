using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// The catalogue: variants page by page (id order, cursor = the last variant id), product status and variant prices.
/// A variant node (with its product and inventory item, one object each) costs 3, as Shopify counts objects.
/// </summary>
public sealed partial class ShopifySimulator
{
    internal const double CatalogueNodeCost = 3;

    private (JsonObject, double) CatalogueVariants(GraphQLCall call)
    {
        var after = call.Variables["after"]?.GetValue<string>() is { } cursor ? long.Parse(cursor, CultureInfo.InvariantCulture) : 0;
        var page = State.VariantList.Where(v => v.VariantId > after).OrderBy(v => v.VariantId).Take(call.First(50) + 1).ToList();
        var more = page.Count > call.First(50);
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return (Data(new JsonObject
        {
            ["productVariants"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. page.Select(v => (JsonNode?)new JsonObject
                {
                    ["id"] = "gid://shopify/ProductVariant/" + v.VariantId.ToString(CultureInfo.InvariantCulture),
                    ["sku"] = v.Sku,
                    ["product"] = new JsonObject { ["id"] = "gid://shopify/Product/" + v.ProductId.ToString(CultureInfo.InvariantCulture) },
                    ["inventoryItem"] = new JsonObject { ["id"] = "gid://shopify/InventoryItem/" + v.Id.ToString(CultureInfo.InvariantCulture) },
                })]),
                ["pageInfo"] = new JsonObject
                {
                    ["hasNextPage"] = more,
                    ["endCursor"] = page.Count == 0 ? null : page[^1].VariantId.ToString(CultureInfo.InvariantCulture),
                },
            },
        }), 2 + (page.Count * CatalogueNodeCost));
    }

    // An inventory item asked for by id, its level at one location and the level's quantities: 3 objects.
    internal const double InventoryLevelNodeCost = 3;

    // nodes(ids:) of inventory items with their level at one location: null for an unknown id, a null level where the
    // item is not stocked; at most 250 ids, as Shopify.
    private (JsonObject, double) InventoryAvailable(GraphQLCall call)
    {
        var ids = (call.Variables["ids"] as JsonArray ?? []).Select(NumericId).ToList();
        if (ids.Count > 250)
        {
            return (Errors($"The ids argument accepts at most 250 ids; {ids.Count} were given.", "MAX_INPUT_SIZE_EXCEEDED"), 1);
        }

        var location = NumericId(call.Variables["locationId"]);
        return (Data(new JsonObject
        {
            ["nodes"] = new JsonArray([.. ids.Select(id => State.ItemById(id) is not { } item ? null : (JsonNode?)new JsonObject
            {
                ["id"] = "gid://shopify/InventoryItem/" + item.Id.ToString(CultureInfo.InvariantCulture),
                ["inventoryLevel"] = !item.Available.TryGetValue(location, out var available) ? null : new JsonObject
                {
                    ["quantities"] = new JsonArray(new JsonObject { ["name"] = "available", ["quantity"] = available }),
                },
            })]),
        }), 1 + (ids.Count * InventoryLevelNodeCost));
    }

    // nodes(ids:) of ProductVariants: their price and compare-at price (Money strings), null for an id that is no variant.
    private (JsonObject, double) VariantPrices(GraphQLCall call)
    {
        var ids = (call.Variables["ids"] as JsonArray ?? []).Select(NumericId).ToList();
        if (ids.Count > 250)
        {
            return (Errors($"The ids argument accepts at most 250 ids; {ids.Count} were given.", "MAX_INPUT_SIZE_EXCEEDED"), 1);
        }

        var variants = State.VariantList.Where(v => ids.Contains(v.VariantId)).ToDictionary(v => v.VariantId);
        return (Data(new JsonObject
        {
            ["nodes"] = new JsonArray([.. ids.Select(id => !variants.TryGetValue(id, out var variant) ? null : (JsonNode?)new JsonObject
            {
                ["id"] = "gid://shopify/ProductVariant/" + id.ToString(CultureInfo.InvariantCulture),
                ["price"] = variant.Price,
                ["compareAtPrice"] = variant.CompareAtPrice,
            })]),
        }), 1 + ids.Count);
    }

    private (JsonObject, double) ProductUpdate(GraphQLCall call)
    {
        var input = call.Variables["product"] as JsonObject ?? [];
        var product = State.ProductById(NumericId(input["id"]));
        var status = input["status"]?.GetValue<string>();
        JsonObject Payload(params (string[] Field, string? Code, string Message)[] errors) => Data(new JsonObject
        {
            ["productUpdate"] = new JsonObject
            {
                ["product"] = product is null || errors.Length > 0 ? null : new JsonObject
                {
                    ["id"] = "gid://shopify/Product/" + product.Id.ToString(CultureInfo.InvariantCulture),
                    ["status"] = product.Status,
                },
                ["userErrors"] = UserErrors(errors),
            },
        });

        if (product is null)
        {
            return (Payload((["id"], null, "Product does not exist")), MutationCost);
        }

        if (status is not null && status is not ("ACTIVE" or "DRAFT" or "ARCHIVED" or "UNLISTED"))
        {
            return (Errors($"Variable $product of type ProductUpdateInput! was provided invalid value for status (Expected \"{status}\" to be one of: ACTIVE, ARCHIVED, DRAFT, UNLISTED)", "INVALID_VARIABLE"), MutationCost);
        }

        product.Status = status ?? product.Status;
        return (Payload(), MutationCost);
    }

    private (JsonObject, double) ProductVariantsBulkUpdate(GraphQLCall call)
    {
        var productId = NumericId(call.Variables["productId"]);
        var variants = (call.Variables["variants"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var errors = new List<(string[] Field, string? Code, string Message)>();
        var changes = new List<(SimulatedInventoryItem Variant, JsonObject Input)>();
        if (State.ProductById(productId) is null)
        {
            errors.Add((["productId"], "PRODUCT_DOES_NOT_EXIST", "Product does not exist"));
        }

        for (var i = 0; i < variants.Count && errors.Count == 0; i++)
        {
            var at = i.ToString(CultureInfo.InvariantCulture);
            var variant = State.VariantList.FirstOrDefault(v => v.VariantId == NumericId(variants[i]["id"]));
            if (variant is not null)
            {
                _priceWrites[variant.Sku] = _priceWrites.GetValueOrDefault(variant.Sku) + 1;
            }

            if (variant is null || variant.ProductId != productId)
            {
                errors.Add((["variants", at, "id"], "PRODUCT_VARIANT_DOES_NOT_EXIST", "Product variant does not exist"));
            }
            else if (!ValidMoney(variants[i], "price") || !ValidMoney(variants[i], "compareAtPrice") || State.PricesRefused.Contains(variant.Sku))
            {
                errors.Add((["variants", at, "price"], "INVALID_INPUT", "Price must be a decimal of at most 2 places."));
            }
            else if (variants[i].ContainsKey("inventoryQuantities"))
            {
                errors.Add((["variants", at, "inventoryQuantities"], "NO_INVENTORY_QUANTITES_DURING_UPDATE", "Inventory quantities can only be provided during create."));
            }
            else
            {
                changes.Add((variant, variants[i]));
            }
        }

        if (errors.Count == 0)
        {
            foreach (var (variant, input) in changes)
            {
                if (input["price"] is JsonValue price)
                {
                    variant.Price = Money(price);
                }

                if (input.ContainsKey("compareAtPrice"))
                {
                    variant.CompareAtPrice = input["compareAtPrice"] is JsonValue was ? Money(was) : null;
                }
            }
        }

        return (Data(new JsonObject
        {
            ["productVariantsBulkUpdate"] = new JsonObject
            {
                ["productVariants"] = errors.Count > 0 ? null : new JsonArray([.. changes.Select(c => (JsonNode?)new JsonObject
                {
                    ["id"] = "gid://shopify/ProductVariant/" + c.Variant.VariantId.ToString(CultureInfo.InvariantCulture),
                    ["price"] = c.Variant.Price,
                    ["compareAtPrice"] = c.Variant.CompareAtPrice,
                })]),
                ["userErrors"] = UserErrors(errors),
            },
        }), MutationCost);
    }

    // Money is a decimal string ("12.5" or 12.5 both accepted); more than 2 places is refused (EGP has 2).
    private static bool ValidMoney(JsonObject input, string field) =>
        input[field] is not JsonValue value || (decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            && amount >= 0 && decimal.Round(amount, 2) == amount);

    private static string Money(JsonValue value) =>
        decimal.Parse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture);
}
