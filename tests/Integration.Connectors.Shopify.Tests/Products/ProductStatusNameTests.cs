using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Products;

namespace Integration.Connectors.Shopify.Tests.Products;

public sealed class ProductStatusNameTests
{
    [Theory]
    [InlineData("Active", new[] { "Active", "Active" }, "ACTIVE")]
    [InlineData("Active", new[] { "On hold", "Active" }, "ACTIVE")] // one variant still sells: the product shows
    [InlineData("Active", new[] { "On hold", "On hold" }, "DRAFT")] // every variant on hold
    [InlineData("Active", new[] { "On hold", "Discontinued" }, "DRAFT")]
    [InlineData("Active", new[] { "Disabled", "Discontinued" }, "ARCHIVED")]
    [InlineData("On hold", new[] { "Active", "Active" }, "DRAFT")] // the template's own hold hides it all
    [InlineData("Discontinued", new[] { "Active" }, "ARCHIVED")]
    [InlineData("Active", new string[0], "ACTIVE")]
    public void A_template_product_is_a_draft_once_every_variant_is_on_hold(string template, string[] variants, string expected)
    {
        var product = ErpProduct.From(new JsonObject
        {
            ["sku"] = "POLO", ["name"] = "Nile polo", ["itemGroup"] = "SHIRTS", ["status"] = template, ["isTemplate"] = true,
            ["variants"] = new JsonArray([.. variants.Select((status, i) => (JsonNode?)new JsonObject { ["sku"] = $"POLO-{i}", ["name"] = $"Nile polo {i}", ["status"] = status })]),
        });

        Assert.Equal(expected, ProductStatusName.Of(product));
    }

    [Theory]
    [InlineData("Active", "ACTIVE")]
    [InlineData("On hold", "DRAFT")]
    [InlineData("Disabled", "ARCHIVED")]
    public void A_simple_item_is_its_own_status(string status, string expected)
    {
        var product = ErpProduct.From(new JsonObject { ["sku"] = "RUG", ["name"] = "Siwa rug", ["itemGroup"] = "HOME", ["status"] = status, ["isTemplate"] = false });

        Assert.Equal(expected, ProductStatusName.Of(product));
    }
}
