using Integration.Mappings.Loading;

namespace Integration.Mappings.Tests.Loading;

public sealed class MappingCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mappings-").FullName;

    private static string Mapping(string master) => $$"""
        {
          "id": "shop-customer__erp-customer",
          "left": { "system": "shop", "entity": "customer" },
          "right": { "system": "erp", "entity": "customer" },
          "fields": [ { "name": "email", "left": "email", "right": "email", "master": "{{master}}" } ]
        }
        """;

    private string File => Path.Combine(_directory, "shop-customer__erp-customer.json");

    [Fact]
    public void Every_shipped_mapping_loads()
    {
        using var catalog = new MappingCatalog();
        catalog.Load(MappingTestKit.MappingsDirectory, watch: false);

        Assert.Empty(catalog.Refused);
        Assert.Equal(
            ["erp-item-price__shopify-variant", "erp-item-price__woocommerce-product", "erp-item__shopify-product", "erp-item__woocommerce-product",
             "erp-stock__shopify-inventory", "erp-stock__woocommerce-product", "shopify-customer__erp-customer", "shopify-order__erp-sales-order", "shopify-order__eta-receipt",
             "woocommerce-customer__erp-customer", "woocommerce-order__erp-sales-order", "woocommerce-order__eta-receipt"],
            catalog.Mappings.Select(m => m.Id));
    }

    [Fact]
    public async Task A_changed_file_is_reloaded_and_a_refused_one_keeps_the_last_good_version()
    {
        await System.IO.File.WriteAllTextAsync(File, Mapping("shop"));
        using var catalog = new MappingCatalog { Debounce = TimeSpan.FromMilliseconds(50) };
        var reloads = 0;
        catalog.Reloaded += _ => Interlocked.Increment(ref reloads);
        catalog.Load(_directory, watch: true);
        Assert.Equal(Integration.Mappings.Definitions.FieldMaster.Left, catalog.Get("shop-customer__erp-customer").Fields[0].Master);

        await System.IO.File.WriteAllTextAsync(File, Mapping("erp"));
        await Until(() => catalog.Get("shop-customer__erp-customer").Fields[0].Master == Integration.Mappings.Definitions.FieldMaster.Right);

        await System.IO.File.WriteAllTextAsync(File, Mapping("crm"));
        // The watcher may read the file while it is half written (refused as not JSON at "$"); the write's last
        // change event reloads it whole.
        // A reload clears the refusals first, so the ones looked at are the ones the wait saw.
        IReadOnlyList<MappingProblem>? problems = null;
        await Until(() => catalog.Refused.TryGetValue(File, out problems) && problems.Any(p => p.JsonPath != "$"));
        var problem = Assert.Single(problems!);
        Assert.Equal("$.fields[0].master", problem.JsonPath);
        Assert.Equal(Integration.Mappings.Definitions.FieldMaster.Right, catalog.Get("shop-customer__erp-customer").Fields[0].Master); // last good version
        Assert.True(reloads >= 3);
    }

    [Fact]
    public async Task A_deleted_file_takes_its_mapping_with_it()
    {
        await System.IO.File.WriteAllTextAsync(File, Mapping("shop"));
        using var catalog = new MappingCatalog { Debounce = TimeSpan.FromMilliseconds(50) };
        catalog.Load(_directory, watch: true);
        Assert.True(catalog.TryGet("shop-customer__erp-customer", out _));

        System.IO.File.Delete(File);
        await Until(() => !catalog.TryGet("shop-customer__erp-customer", out _));
        Assert.Empty(catalog.Mappings);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the catalog did not reload in 10 s");
            await Task.Delay(25);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
