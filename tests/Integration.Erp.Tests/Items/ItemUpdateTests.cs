using System.Net;

namespace Integration.Erp.Tests.Items;

public sealed class ItemUpdateTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task A_rename_changes_only_the_name_and_tells_the_stores_once()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "MUG", name = "Mug", description = "Stoneware", barcodes = new[] { "6220000000011" } });

        var (status, item) = await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { name = "Aswan mug" });
        var (again, _) = await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { name = "Aswan mug" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("Aswan mug", item.GetProperty("name").GetString());
        Assert.Equal("Stoneware", item.GetProperty("description").GetString());
        Assert.Equal("6220000000011", Assert.Single(item.GetProperty("barcodes").EnumerateArray()).GetString());
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.item.changed' AND payload->>'change' = 'updated' AND payload->'fields' = '[\"name\"]'::jsonb",
            new { company }));
    }

    [Fact]
    public async Task Description_group_and_barcodes_change_together_and_a_barcode_of_another_item_is_refused()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "MUGS", name = "Mugs" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "CUP", name = "Cup", barcodes = new[] { "6220000000028" } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "MUG", name = "Mug" });

        var (status, item) = await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { description = "Hand made", itemGroup = "MUGS", barcodes = new[] { "6220000000035", "6220000000042" } });
        var (taken, problem) = await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { barcodes = new[] { "6220000000028" } });
        var (noGroup, groupProblem) = await erp.PatchAsync($"/api/erp/items/MUG?company={company}", new { itemGroup = "NO-SUCH" });
        var (missing, _) = await erp.PatchAsync($"/api/erp/items/NOPE?company={company}", new { name = "x" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Hand made", item.GetProperty("description").GetString());
        Assert.Equal("MUGS", item.GetProperty("itemGroup").GetString());
        Assert.Equal(["6220000000035", "6220000000042"], item.GetProperty("barcodes").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, taken);
        Assert.Equal("duplicate-barcode", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noGroup);
        Assert.Equal("unknown-item-group", groupProblem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing);
        // The refused changes left the item as it was and told no store.
        var after = await erp.GetJsonAsync($"/api/erp/items/MUG?company={company}");
        Assert.Equal(2, after.GetProperty("barcodes").GetArrayLength());
        Assert.Equal("MUGS", after.GetProperty("itemGroup").GetString());
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND entity_key = 'MUG' AND payload->>'change' = 'updated'", new { company }));
    }

    [Fact]
    public async Task A_variant_starts_in_its_templates_group_and_moves_with_it_unless_it_has_a_group_of_its_own()
    {
        var company = await erp.NewCompanyAsync();
        foreach (var group in new[] { "SHIRTS", "SALE", "GIFTS" })
        {
            await erp.PostAsync("/api/erp/item-groups", new { company, id = group, name = group });
        }

        await erp.PostAsync("/api/erp/items", new { company, sku = "POLO", name = "Polo", itemGroup = "SHIRTS", isTemplate = true, attributes = new { size = new[] { "S", "M", "L" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "POLO-S", name = "Polo S", templateSku = "POLO", attributes = new { size = "S" } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "POLO-M", name = "Polo M", templateSku = "POLO", attributes = new { size = "M" } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "POLO-L", name = "Polo L", templateSku = "POLO", itemGroup = "GIFTS", attributes = new { size = "L" } });
        Assert.Equal("SHIRTS", (await erp.GetJsonAsync($"/api/erp/items/POLO-S?company={company}")).GetProperty("itemGroup").GetString());

        var (status, _) = await erp.PatchAsync($"/api/erp/items/POLO?company={company}", new { itemGroup = "SALE" });

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var (sku, group) in new[] { ("POLO", "SALE"), ("POLO-S", "SALE"), ("POLO-M", "SALE"), ("POLO-L", "GIFTS") })
        {
            Assert.Equal(group, (await erp.GetJsonAsync($"/api/erp/items/{sku}?company={company}")).GetProperty("itemGroup").GetString());
        }

        // Each variant moved is priced again by the stores (a promotion on SALE now applies to it).
        Assert.Equal(2, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.item.changed' AND entity_key LIKE 'POLO-_' AND payload->'fields' = '[\"itemGroup\"]'::jsonb AND payload->>'templateSku' = 'POLO'",
            new { company }));
    }

    [Fact]
    public async Task Attributes_stay_consistent_between_a_template_and_its_variants()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-M", name = "T-shirt M", templateSku = "TEE", attributes = new { size = "M" } });

        var (badVariant, variantProblem) = await erp.PatchAsync($"/api/erp/items/TEE-M?company={company}", new { attributes = new { size = "XL" } });
        var (narrowed, narrowProblem) = await erp.PatchAsync($"/api/erp/items/TEE?company={company}", new { attributes = new { size = new[] { "S" } } });
        var (widened, template) = await erp.PatchAsync($"/api/erp/items/TEE?company={company}", new { attributes = new { size = new[] { "S", "M", "L" } } });
        var (moved, variant) = await erp.PatchAsync($"/api/erp/items/TEE-M?company={company}", new { attributes = new { size = "L" } });

        Assert.Equal(HttpStatusCode.BadRequest, badVariant);
        Assert.Equal("invalid-variant-attribute", variantProblem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, narrowed);
        Assert.Equal("attribute-in-use", narrowProblem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, widened);
        Assert.Equal(3, template.GetProperty("attributes").GetProperty("size").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal("L", variant.GetProperty("attributes").GetProperty("size").GetString());
        // The variant's change names its template, so a store syncs the template's product.
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND entity_key = 'TEE-M' AND payload->>'change' = 'updated' AND payload->>'templateSku' = 'TEE'", new { company }));
    }

    [Fact]
    public async Task An_item_created_on_hold_says_so_in_its_event()
    {
        var company = await erp.NewCompanyAsync();

        var (status, item) = await erp.PostAsync("/api/erp/items", new { company, sku = "LATER", name = "Not yet", status = "On hold" });
        var (bad, problem) = await erp.PostAsync("/api/erp/items", new { company, sku = "ODD", name = "Odd", status = "Sleeping" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("On hold", item.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("invalid-status", problem.GetProperty("type").GetString());
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND entity_key = 'LATER' AND payload->>'change' = 'created' AND payload->>'status' = 'On hold'", new { company }));
    }
}
