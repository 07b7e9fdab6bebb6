using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Products;
using Integration.Mappings.KeyMaps;
using Integration.Simulators.Shopify;
using Integration.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Products;

public sealed class ShopifyProductWriterTests
{
    private static ShopifySimulatorStore Store() => new(configure: s => s.AddSingleton<IKeyMap, InMemoryKeyMap>());

    private static JsonObject Simple(string sku, string name, string status = "Active") => new()
    {
        ["sku"] = sku, ["name"] = name, ["description"] = null, ["itemGroup"] = "HOME", ["itemGroupName"] = "Home", ["status"] = status,
        ["isTemplate"] = false, ["barcodes"] = new JsonArray(), ["options"] = new JsonArray(), ["variants"] = new JsonArray(), ["images"] = new JsonArray(),
    };

    private static JsonObject Template(string sku, params (string Sku, string Size)[] variants) => new()
    {
        ["sku"] = sku, ["name"] = "Tee", ["itemGroup"] = "SHIRTS", ["itemGroupName"] = "Shirts", ["status"] = "Active", ["isTemplate"] = true,
        ["options"] = new JsonArray(new JsonObject { ["name"] = "size", ["values"] = new JsonArray([.. variants.Select(v => (JsonNode?)v.Size).Distinct()]) }),
        ["variants"] = new JsonArray([.. variants.Select(v => (JsonNode?)new JsonObject
        {
            ["sku"] = v.Sku, ["name"] = "Tee " + v.Size, ["status"] = "Active", ["barcodes"] = new JsonArray(), ["attributes"] = new JsonObject { ["size"] = v.Size },
        })]),
        ["images"] = new JsonArray(),
    };

    private static string Sync(JsonObject product, JsonArray? prices = null) => new JsonObject
    {
        ["id"] = "sync", ["type"] = "Shopify.SyncProduct", ["version"] = 1, ["store"] = "sim",
        ["product"] = new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = product.ToJsonString() } },
        ["prices"] = new JsonObject { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = (prices ?? []).ToJsonString() } },
    }.ToJsonString();

    [Fact]
    public async Task A_product_made_in_shopify_before_is_found_by_its_sku_and_taken_over_keeping_its_variant()
    {
        using var store = Store();
        var old = store.Simulator.State.AddProduct("Old mug", "MUG-1")[0];
        var writer = store.Services.GetRequiredService<ShopifyProductWriter>();

        var result = await writer.SyncAsync("sim", ErpProduct.From(Simple("MUG-1", "Aswan mug")), new Dictionary<string, VariantPrice>());

        Assert.NotNull(result);
        Assert.False(result.Created);
        Assert.Equal("gid://shopify/Product/" + old.ProductId, result.ProductId);
        var product = store.Simulator.State.Product(old.ProductId)!;
        Assert.Equal("Aswan mug", product.Title);
        Assert.Equal("Home", product.ProductType);
        Assert.Equal(old.VariantId, Assert.Single(product.Variants).VariantId);
        Assert.Equal(result.ProductId, await store.Services.GetRequiredService<IKeyMap>().FindExternalIdAsync("shopify", "product", "sim", "MUG-1"));
        Assert.Single(store.Simulator.State.Products);
    }

    [Fact]
    public async Task A_template_without_variants_is_not_sold_and_nothing_is_sent()
    {
        using var store = Store();

        var state = await RunActivityAsync(store.Services, Sync(Template("TEE")));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.False(state.ActivityOutputs.TryGetValue("sync", out var outputs) && outputs.ContainsKey("productId"));
        Assert.Equal(0, store.Simulator.Ran("ProductSet"));
        Assert.Empty(store.Simulator.State.Products);
    }

    [Fact]
    public async Task A_new_variant_starts_at_the_erp_price_and_an_existing_one_keeps_its_price()
    {
        using var store = Store();
        var prices = new JsonArray(new JsonObject { ["sku"] = "TEE-S", ["price"] = 250m }, new JsonObject { ["sku"] = "TEE-M", ["price"] = 260m, ["compareAtPrice"] = 300m });
        await RunActivityAsync(store.Services, Sync(Template("TEE", ("TEE-S", "S")), prices));
        // shopify-prices moved it since; the SKU index knows the variant the writer made without reading the catalogue again.
        await store.Services.GetRequiredService<ShopifyProducts>().SetPricesAsync("sim", [new VariantPrice("TEE-S", 199m, null, false)]);

        var state = await RunActivityAsync(store.Services, Sync(Template("TEE", ("TEE-S", "S"), ("TEE-M", "M")), prices));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal("199.00", store.Simulator.State.Variant("TEE-S")!.Price);
        Assert.Equal("260.00", store.Simulator.State.Variant("TEE-M")!.Price);
        Assert.Equal("300.00", store.Simulator.State.Variant("TEE-M")!.CompareAtPrice);
        Assert.Equal(2, state.ActivityOutputs["sync"]["variants"] is JsonArray variants ? variants.Count : 0);
        Assert.Equal(1, store.Simulator.Ran("CatalogueVariants"));
    }

    [Fact]
    public async Task Shopify_user_errors_are_a_typed_error_naming_field_and_code_and_nothing_is_created()
    {
        using var store = Store();
        var product = Template("TEE", ("TEE-S", "S"));
        product["variants"]![0]!["attributes"] = new JsonObject(); // no size: the option value is missing

        var error = await Assert.ThrowsAsync<ShopifyProductRefusedException>(() =>
            store.Services.GetRequiredService<ShopifyProductWriter>().SyncAsync("sim", ErpProduct.From(product), new Dictionary<string, VariantPrice>()));

        Assert.Equal("TEE", error.Sku);
        var refused = Assert.Single(error.Errors);
        Assert.Equal("OPTION_VALUES_MISSING", refused.Code);
        Assert.Equal(["input", "variants", "0", "optionValues"], refused.Field);
        Assert.Empty(store.Simulator.State.Products);
    }

    [Fact]
    public async Task A_group_collection_made_before_the_key_map_knew_it_is_taken_not_made_twice()
    {
        using var store = Store();
        var existing = store.Simulator.State.AddCollection("Home", false, [new SimulatedRule("TYPE", "EQUALS", "home")]);
        var writer = store.Services.GetRequiredService<ShopifyProductWriter>();

        var first = await writer.SyncAsync("sim", ErpProduct.From(Simple("MUG-1", "Mug")), new Dictionary<string, VariantPrice>());
        var second = await writer.SyncAsync("sim", ErpProduct.From(Simple("MUG-2", "Mug 2")), new Dictionary<string, VariantPrice>());

        Assert.Equal("gid://shopify/Collection/" + existing.Id, first!.CollectionId);
        Assert.Equal(first.CollectionId, second!.CollectionId);
        Assert.Single(store.Simulator.State.Collections);
        Assert.Equal(0, store.Simulator.Ran("CollectionCreate"));
        Assert.Equal(1, store.Simulator.Ran("CollectionsByTitle")); // the second product found it in the key map
        Assert.Equal(2, store.Simulator.State.CollectionProducts(existing.Id).Count);
    }

    [Fact]
    public async Task Two_products_of_a_new_group_synced_at_once_make_one_collection()
    {
        // ERP events are fed side by side: the first two products of a group may be written at the same moment, and
        // Shopify takes a second collection of the same title.
        using var store = Store();
        var writer = store.Services.GetRequiredService<ShopifyProductWriter>();
        // A product of another group first: the client then knows every call's cost, so none goes alone as a probe.
        var other = Simple("LAMP-1", "Lamp");
        other["itemGroup"] = "LIGHTS";
        other["itemGroupName"] = "Lights";
        await writer.SyncAsync("sim", ErpProduct.From(other), new Dictionary<string, VariantPrice>());

        var synced = await Task.WhenAll(
            writer.SyncAsync("sim", ErpProduct.From(Simple("MUG-1", "Mug")), new Dictionary<string, VariantPrice>()),
            writer.SyncAsync("sim", ErpProduct.From(Simple("MUG-2", "Mug 2")), new Dictionary<string, VariantPrice>()));

        var collection = Assert.Single(store.Simulator.State.Collections, c => c.Title == "Home");
        Assert.Equal(2, store.Simulator.Ran("CollectionCreate"));
        Assert.All(synced, s => Assert.Equal("gid://shopify/Collection/" + collection.Id, s!.CollectionId));
        Assert.Equal(2, store.Simulator.State.CollectionProducts(collection.Id).Count);
    }
}
