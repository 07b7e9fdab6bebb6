using System.Net.Http.Json;
using Integration.Erp.Items;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Erp.Tests.Items;

/// <summary><see cref="ItemCatalogue.ChangedAgainAsync"/>: whether a product (template or variant) changed after a given event, as a debounced store sync asks.</summary>
public sealed class ItemChangedAgainTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private static readonly string[] AnyChange = ["created", "updated", "images", "status"];

    [Fact]
    public async Task A_later_change_of_the_template_or_a_variant_counts_and_other_items_kinds_or_companies_do_not()
    {
        var company = await erp.NewCompanyAsync();
        var other = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-S", name = "T-shirt S", templateSku = "TEE", attributes = new { size = "S" } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "MUG", name = "Mug" });
        await erp.PostAsync("/api/erp/items", new { company = other, sku = "TEE", name = "T-shirt" });
        var catalogue = erp.Services.GetRequiredService<ItemCatalogue>();
        var after = await LatestEventAsync(company);

        Assert.Null(await catalogue.ChangedAgainAsync(company, "TEE", after, AnyChange));

        // Another item, and the same SKU in another company, are other products.
        await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { name = "Aswan mug" });
        await erp.PatchAsync($"/api/erp/items/TEE?company={other}", new { name = "Other T-shirt" });
        Assert.Null(await catalogue.ChangedAgainAsync(company, "TEE", after, AnyChange));

        // The variant's change is the product's.
        await erp.PatchAsync($"/api/erp/items/TEE-S?company={company}", new { name = "T-shirt small" });
        var variantChange = await LatestEventAsync(company);
        Assert.Equal(variantChange, await catalogue.ChangedAgainAsync(company, "TEE", after, AnyChange));
        Assert.Null(await catalogue.ChangedAgainAsync(company, "TEE", after, ["images"]));
        Assert.Null(await catalogue.ChangedAgainAsync(company, "TEE", variantChange, AnyChange));

        // The template's own change, later still, is the latest.
        await erp.PatchAsync($"/api/erp/items/TEE?company={company}", new { description = "Cotton" });
        var templateChange = await LatestEventAsync(company);
        Assert.True(templateChange > variantChange);
        Assert.Equal(templateChange, await catalogue.ChangedAgainAsync(company, "TEE", after, AnyChange));
    }

    [Fact]
    public async Task Every_change_of_a_product_whichever_item_it_came_from_carries_the_product_as_its_ordering_key()
    {
        // A product's changes are fed to the flows in order (the outbox is partitioned by ordering key), as a store gets
        // the product whole: its template's and its variants' changes share the template's SKU; a simple item has its own.
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-S", name = "T-shirt S", templateSku = "TEE", attributes = new { size = "S" } });
        await erp.PatchAsync($"/api/erp/items/TEE-S?company={company}", new { name = "T-shirt small" });
        await erp.PostAsync($"/api/erp/items/TEE-S/status?company={company}", new { status = "On hold" });
        await erp.Client.PutAsJsonAsync($"/api/erp/items/TEE-S/images?company={company}",
            new[] { new { url = "https://cdn.example.com/tee-s.jpg", checksum = new string('a', 64), altText = "Front" } }, Integration.Testing.TestHost.Json);
        await erp.PostAsync("/api/erp/items", new { company, sku = "MUG", name = "Mug" });

        await using var connection = await erp.OpenAsync();
        var events = (await Dapper.SqlMapper.QueryAsync<(string EntityKey, string Change, string? OrderingKey)>(connection,
            "SELECT entity_key, payload->>'change', ordering_key FROM integration.outbox WHERE company = @company AND topic = 'erp.item.changed' ORDER BY id",
            new { company })).ToList();
        Assert.Equal(
            [("TEE", "created", "TEE"), ("TEE-S", "created", "TEE"), ("TEE-S", "updated", "TEE"), ("TEE-S", "status", "TEE"), ("TEE-S", "images", "TEE"), ("MUG", "created", "MUG")],
            events.Select(e => (e.EntityKey, e.Change, e.OrderingKey)));
    }

    private async Task<long> LatestEventAsync(string company)
    {
        await using var connection = await erp.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT max(id) FROM integration.outbox WHERE company = @company AND topic = 'erp.item.changed'", new { company });
    }
}
