using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Simulators.Shopify;

namespace Integration.Connectors.Shopify.Tests.Simulator;

/// <summary>The simulator's productSet behaves as Shopify documents it: list fields replaced, scalars left out kept.</summary>
public sealed class ProductSetSimulatorTests
{
    private const string Mutation = "mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) { productSet(identifier: $identifier, input: $input, synchronous: true) { product { id variants(first: 250) { nodes { id sku inventoryItem { id } } } media(first: 250) { nodes { id alt } } } userErrors { field code message } } }";

    private static async Task<JsonObject> SetAsync(ShopifySimulator simulator, JsonObject input, long? productId = null)
    {
        using var http = new HttpClient();
        var variables = new JsonObject { ["input"] = input };
        if (productId is { } id)
        {
            variables["identifier"] = new JsonObject { ["id"] = "gid://shopify/Product/" + id };
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.AdminUrl + "/admin/api/2026-04/graphql.json")
        {
            Content = new StringContent(new JsonObject { ["query"] = Mutation, ["operationName"] = "ProductSet", ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Shopify-Access-Token", simulator.Options.AccessToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static JsonObject Sizes(params string[] sizes) => new()
    {
        ["title"] = "Tee",
        ["productOptions"] = new JsonArray(new JsonObject { ["name"] = "Size", ["values"] = new JsonArray([.. sizes.Select(s => (JsonNode?)new JsonObject { ["name"] = s })]) }),
        ["variants"] = new JsonArray([.. sizes.Select(s => (JsonNode?)new JsonObject
        {
            ["sku"] = "TEE-" + s, ["optionValues"] = new JsonArray(new JsonObject { ["optionName"] = "Size", ["name"] = s }),
        })]),
    };

    [Fact]
    public async Task Variants_left_out_are_deleted_with_their_inventory_and_scalars_left_out_are_kept()
    {
        using var simulator = new ShopifySimulator();
        var created = await SetAsync(simulator, Sizes("S", "M", "L"));
        var productId = long.Parse(created["data"]!["productSet"]!["product"]!["id"]!.GetValue<string>().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var medium = simulator.State.Variant("TEE-M")!;
        var input = Sizes("M");
        input.Remove("title");
        input["variants"]![0]!["id"] = "gid://shopify/ProductVariant/" + medium.VariantId;

        var answer = await SetAsync(simulator, input, productId);

        Assert.Empty(answer["data"]!["productSet"]!["userErrors"]!.AsArray());
        var product = simulator.State.Product(productId)!;
        Assert.Equal("Tee", product.Title); // not sent, kept
        Assert.Equal(medium.VariantId, Assert.Single(product.Variants).VariantId);
        Assert.Null(simulator.State.Variant("TEE-S"));
        Assert.DoesNotContain(simulator.State.InventoryItems, i => i.Sku is "TEE-S" or "TEE-L");
        Assert.Equal(["M"], Assert.Single(product.Options).Values);
        Assert.Equal(2, product.Version);
        Assert.True(answer["extensions"]!["cost"]!["actualQueryCost"]!.GetValue<double>() >= 10);
    }

    [Fact]
    public async Task The_same_input_again_changes_nothing()
    {
        using var simulator = new ShopifySimulator();
        var created = await SetAsync(simulator, Sizes("S"));
        var productId = long.Parse(created["data"]!["productSet"]!["product"]!["id"]!.GetValue<string>().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var again = Sizes("S");
        again["variants"]![0]!["id"] = "gid://shopify/ProductVariant/" + simulator.State.Variant("TEE-S")!.VariantId;

        await SetAsync(simulator, again, productId);

        Assert.Equal(1, simulator.State.Product(productId)!.Version);
    }

    [Theory]
    [InlineData("missing", "OPTION_VALUES_MISSING")]
    [InlineData("unlisted", "OPTION_VALUE_DOES_NOT_EXIST")]
    [InlineData("twice", "INVALID_VARIANT")]
    [InlineData("noOptions", "PRODUCT_OPTIONS_INPUT_MISSING")]
    [InlineData("badImage", "INVALID_INPUT")]
    [InlineData("foreignVariant", "PRODUCT_VARIANT_DOES_NOT_EXIST")]
    public async Task Bad_input_is_refused_with_a_user_error_and_nothing_changes(string fault, string code)
    {
        using var simulator = new ShopifySimulator();
        var other = simulator.State.AddProduct("Other", "OTHER-1")[0];
        var input = Sizes("S", "M");
        switch (fault)
        {
            case "missing": input["variants"]![0]!["optionValues"] = new JsonArray(); break;
            case "unlisted": input["variants"]![0]!["optionValues"]![0]!["name"] = "XXL"; break;
            case "twice": input["variants"]![1]!["optionValues"]![0]!["name"] = "S"; break;
            case "noOptions": input.Remove("productOptions"); break;
            case "badImage": input["files"] = new JsonArray(new JsonObject { ["originalSource"] = "not a url", ["contentType"] = "IMAGE" }); break;
            case "foreignVariant": input["variants"]![0]!["id"] = "gid://shopify/ProductVariant/" + other.VariantId; break;
        }

        var answer = await SetAsync(simulator, input);

        Assert.Null(answer["data"]!["productSet"]!["product"]);
        Assert.Equal(code, answer["data"]!["productSet"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Single(simulator.State.Products); // only the other product
        Assert.Null(simulator.State.Variant("TEE-M"));
    }
}
