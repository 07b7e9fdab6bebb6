using System.Globalization;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Catalogue;

public sealed class ShopifySkuIndexTests
{
    [Fact]
    public async Task Skus_resolve_to_variant_product_and_inventory_item_across_pages()
    {
        using var store = new ShopifySimulatorStore();
        for (var p = 0; p < 130; p++)
        {
            store.Simulator.State.AddProduct($"Shirt {p}", $"SH-{p}-S", $"SH-{p}-M");
        }

        var found = await store.Services.GetRequiredService<ShopifySkuIndex>().ResolveAsync("sim", ["SH-0-S", "SH-129-M", "SH-77-M", "NOPE"]);

        Assert.Equal(2, store.Simulator.Ran("CatalogueVariants")); // 260 variants, 250 a page
        Assert.Equal(["SH-0-S", "SH-129-M", "SH-77-M"], found.Keys.Order(StringComparer.Ordinal));
        var sold = store.Simulator.State.Variant("SH-129-M")!;
        Assert.Equal(new CatalogueVariant("SH-129-M", sold.VariantId, sold.ProductId, sold.Id), Assert.Single(found["SH-129-M"]));
    }

    [Fact]
    public async Task An_unknown_sku_reads_the_catalogue_again_at_most_once_a_period()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Book", "BK-1");
        var index = store.Services.GetRequiredService<ShopifySkuIndex>();
        await index.FindAsync("sim", "BK-1");

        store.Simulator.State.AddProduct("Pen", "PN-1");
        var pen = await index.FindAsync("sim", "PN-1");
        var again = await index.FindAsync("sim", "PN-1");

        Assert.Empty(pen); // the first read is younger than the refresh period (60 s)
        Assert.Empty(again);
        Assert.Equal(1, store.Simulator.Ran("CatalogueVariants"));
    }

    [Fact]
    public async Task A_sku_added_to_the_store_is_found_once_the_period_has_passed()
    {
        using var store = new ShopifySimulatorStore(settings: new Dictionary<string, string?> { ["SkuIndexRefresh"] = "00:00:00" });
        store.Simulator.State.AddProduct("Book", "BK-1");
        var index = store.Services.GetRequiredService<ShopifySkuIndex>();
        await index.FindAsync("sim", "BK-1");

        store.Simulator.State.AddProduct("Pen", "PN-1");
        var pen = await index.FindAsync("sim", "PN-1");
        await index.FindAsync("sim", "BK-1");

        Assert.Equal(store.Simulator.State.Variant("PN-1")!.VariantId, Assert.Single(pen).VariantId);
        Assert.Equal(2, store.Simulator.Ran("CatalogueVariants")); // a known SKU reads nothing
    }

    [Fact]
    public async Task A_sku_another_host_created_is_found_within_the_period_once_its_variant_is_linked()
    {
        var keyMap = new InMemoryKeyMap();
        using var store = new ShopifySimulatorStore(configure: s => s.AddSingleton<IKeyMap>(keyMap));
        store.Simulator.State.AddProduct("Book", "BK-1");
        var index = store.Services.GetRequiredService<ShopifySkuIndex>();
        await index.FindAsync("sim", "BK-1");

        // A link of another SKU (this host's own product sync, which remembers what it wrote) reads nothing again.
        await keyMap.LinkAsync(new KeyLink("shopify", "variant", "sim", "gid://shopify/ProductVariant/1", "BK-1"));
        Assert.Empty(await index.FindAsync("sim", "NOPE"));
        Assert.Equal(1, store.Simulator.Ran("CatalogueVariants"));

        // Another host's product sync creates a pen in the store and links its variant in the shared key map.
        var pen = store.Simulator.State.AddProduct("Pen", "PN-1")[0];
        await keyMap.LinkAsync(new KeyLink("shopify", "variant", "sim", "gid://shopify/ProductVariant/" + pen.VariantId.ToString(CultureInfo.InvariantCulture), "PN-1"));
        var found = await index.FindAsync("sim", "PN-1");

        Assert.Equal(pen.VariantId, Assert.Single(found).VariantId); // within the refresh period (60 s)
        Assert.Equal(2, store.Simulator.Ran("CatalogueVariants"));

        // Nothing linked since: a SKU the store does not have reads nothing more within the period.
        Assert.Empty(await index.FindAsync("sim", "NOPE"));
        Assert.Equal(2, store.Simulator.Ran("CatalogueVariants"));
    }

    [Fact]
    public async Task One_sku_on_two_variants_resolves_to_both()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Mug", "MUG-1");
        store.Simulator.State.AddProduct("Mug (bundle)", "MUG-1");

        var found = await store.Services.GetRequiredService<ShopifySkuIndex>().FindAsync("sim", "MUG-1");

        Assert.Equal(2, found.Select(v => v.ProductId).Distinct().Count());
    }
}
