using System.Net;
using System.Text.Json;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Prices;

public sealed class PriceBookTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task A_promotion_naming_a_template_of_variants_is_refused_since_it_would_price_nothing()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, attributes = new { size = new[] { "S", "M" } } });
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-M", name = "T-shirt M", templateSku = "TEE", attributes = new { size = "M" } });

        var (template, problem) = await erp.PostAsync("/api/erp/promotions", new { company, id = "BF-TEE", name = "Black Friday", kind = "Percentage", value = 20m, skus = new[] { "TEE" }, validFrom = On(11, 27), validTo = On(11, 30) });
        var (variant, _) = await erp.PostAsync("/api/erp/promotions", new { company, id = "BF-TEE-M", name = "Black Friday", kind = "Percentage", value = 20m, skus = new[] { "TEE-M" }, validFrom = On(11, 27), validTo = On(11, 30) });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, template);
        Assert.Equal("template-item", problem.GetProperty("type").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Created, variant);
    }

    [Fact]
    public async Task The_effective_price_follows_validity_dates_and_the_best_promotion_of_the_day()
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1000m });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1100m, validFrom = On(9, 1) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "SUMMER", name = "Summer sale", kind = "Percentage", value = 20m, itemGroups = new[] { "ALL" }, validFrom = On(7, 1), validTo = On(7, 31) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "DRESS-100", name = "100 off dresses", kind = "Amount", value = 100m, skus = new[] { "DRESS" }, validFrom = On(7, 15), validTo = On(8, 15) });

        var june = await EffectiveAsync(company, On(6, 30));
        var july1 = await EffectiveAsync(company, On(7, 1));
        var august = await EffectiveAsync(company, On(8, 1));
        var september = await EffectiveAsync(company, On(9, 1));

        Assert.Equal((1000m, null, null), Figures(june));
        Assert.Equal(On(7, 1), DateOnly.Parse(june.GetProperty("changesOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((800m, 1000m, "SUMMER"), Figures(july1));
        Assert.Equal((900m, 1000m, "DRESS-100"), Figures(august));
        Assert.Equal((1100m, null, null), Figures(september));
    }

    [Fact]
    public async Task A_promotion_is_ended_early_or_withdrawn_and_its_items_repriced_but_never_run_longer()
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1000m });
        // 90 % off instead of 9 %, found on its ninth day; and an autumn sale called off before it began.
        await erp.PostAsync("/api/erp/promotions", new { company, id = "FLASH", name = "Flash sale", kind = "Percentage", value = 90m, skus = new[] { "DRESS" }, validFrom = On(7, 1), validTo = On(7, 31) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "AUTUMN", name = "Autumn", kind = "Percentage", value = 10m, skus = new[] { "DRESS" }, validFrom = On(9, 1), validTo = On(9, 30) });
        var (backwards, backwardsProblem) = await erp.PostAsync("/api/erp/promotions", new { company, id = "BACKWARDS", name = "Backwards", kind = "Percentage", value = 10m, skus = new[] { "DRESS" }, validFrom = On(9, 1), validTo = On(8, 31) });

        var (ended, flash) = await erp.PostAsync("/api/erp/promotions/FLASH/end", new { company, lastDay = On(7, 9) });
        var (again, _) = await erp.PostAsync("/api/erp/promotions/FLASH/end", new { company, lastDay = On(7, 9) });
        var (longer, longerProblem) = await erp.PostAsync("/api/erp/promotions/FLASH/end", new { company, lastDay = On(8, 10) });
        var (withdrawn, autumn) = await erp.PostAsync("/api/erp/promotions/AUTUMN/end", new { company, lastDay = On(8, 15) });
        var (unknown, unknownProblem) = await erp.PostAsync("/api/erp/promotions/SPRING/end", new { company, lastDay = On(8, 15) });

        Assert.Equal((HttpStatusCode.BadRequest, "invalid-promotion"), (backwards, backwardsProblem.GetProperty("type").GetString()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ended, again));
        Assert.Equal(On(7, 9), DateOnly.Parse(flash.GetProperty("validTo").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((HttpStatusCode.Conflict, "promotion-not-shortened"), (longer, longerProblem.GetProperty("type").GetString()));
        Assert.Equal((HttpStatusCode.OK, On(8, 31)), (withdrawn, DateOnly.Parse(autumn.GetProperty("validTo").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((HttpStatusCode.NotFound, "unknown-promotion"), (unknown, unknownProblem.GetProperty("type").GetString()));
        Assert.Equal((100m, 1000m, "FLASH"), Figures(await EffectiveAsync(company, On(7, 9))));
        Assert.Equal((1000m, null, null), Figures(await EffectiveAsync(company, On(7, 10))));
        Assert.Equal((1000m, null, null), Figures(await EffectiveAsync(company, On(9, 10))));
        // The withdrawn sale's first day is no change of price any more.
        Assert.Equal(JsonValueKind.Null, (await EffectiveAsync(company, On(8, 20))).GetProperty("changesOn").ValueKind);
        Assert.Equal(["FLASH"], (await erp.GetJsonAsync($"/api/erp/promotions?company={company}&on={On(7, 5):yyyy-MM-dd}")).EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Empty((await erp.GetJsonAsync($"/api/erp/promotions?company={company}&on={On(9, 5):yyyy-MM-dd}")).EnumerateArray());
        // Each change reprices the stores once: made, ended, withdrawn; not the retried end nor the refused ones.
        Assert.Equal(4, await erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.promotion.changed'", new { company }));
    }

    [Fact]
    public async Task Buy_two_get_one_free_lowers_the_unit_price_from_three_units_and_only_on_its_channel()
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 900m });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "B2G1", name = "Buy 2 get 1", kind = "BuyXGetY", buyQty = 2m, freeQty = 1m, minQty = 3m, skus = new[] { "DRESS" }, validFrom = On(1, 1), validTo = On(12, 31), channel = "shopify" });

        var three = await erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}&channel=shopify&qty=3");
        var two = await erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}&channel=shopify&qty=2");
        var elsewhere = await erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}&channel=woocommerce&qty=3");

        Assert.Equal(600m, three.GetProperty("price").GetDecimal());
        Assert.Equal(900m, two.GetProperty("price").GetDecimal());
        Assert.Equal(900m, elsewhere.GetProperty("price").GetDecimal());
    }

    [Theory]
    [InlineData("shopify/cairo-fashion", 800)] // the store's own promotion is the best of the three
    [InlineData("shopify/alex-fashion", 900)] // the system's
    [InlineData("woocommerce/cairo-woo", 1000)]
    [InlineData("shopify", 900)]
    public async Task A_stores_channel_takes_the_promotions_of_its_system_and_of_the_store(string channel, decimal price)
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1000m });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "ALL-SHOPIFY", name = "Shopify 10 %", kind = "Percentage", value = 10m, skus = new[] { "DRESS" }, validFrom = On(1, 1), validTo = On(12, 31), channel = "shopify" });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "CAIRO-20", name = "Cairo 20 %", kind = "Percentage", value = 20m, skus = new[] { "DRESS" }, validFrom = On(1, 1), validTo = On(12, 31), channel = "cairo-fashion" });

        var effective = await erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}&channel={Uri.EscapeDataString(channel)}");

        Assert.Equal(price, effective.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task An_amount_off_applies_to_the_price_lists_of_its_currency_and_never_makes_an_item_free()
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "PIN", name = "Pin" });
        await erp.PostAsync("/api/erp/price-lists", new { company, id = "WEB-USD", name = "Web store abroad", currency = "USD" });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1000m });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "PIN", rate = 40m });
        await erp.PostAsync("/api/erp/price-lists/WEB-USD/prices", new { company, sku = "DRESS", rate = 80m });
        var (_, eid) = await erp.PostAsync("/api/erp/promotions", new { company, id = "EID-50", name = "50 off", kind = "Amount", value = 50m, itemGroups = new[] { "ALL" }, validFrom = On(1, 1), validTo = On(12, 31) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "USD-5", name = "5 off abroad", kind = "Amount", value = 5m, skus = new[] { "DRESS" }, validFrom = On(1, 1), validTo = On(12, 31), currency = "usd" });

        var home = (await erp.PostAsync("/api/erp/price-lists/WEB/effective", new { company, skus = new[] { "DRESS", "PIN" }, date = On(3, 3) })).Body;
        var abroad = await erp.GetJsonAsync($"/api/erp/price-lists/WEB-USD/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}");

        Assert.Equal("EGP", eid.GetProperty("currency").GetString()); // the company's, as none was given
        Assert.Equal((950m, 1000m, "EID-50"), Figures(home[0]));
        Assert.Equal((40m, null, null), Figures(home[1])); // 50 off a pin of 40 is no deal: it keeps its price
        Assert.Equal((75m, 80m, "USD-5"), Figures(abroad)); // not 30: the 50 EGP off is not 50 USD off
    }

    [Theory]
    [InlineData("EGP", 99.995, 100.00)]
    [InlineData("KWD", 12.3456, 12.346)]
    [InlineData("JPY", 1499.5, 1500)]
    public async Task A_price_is_given_to_the_decimals_of_its_lists_currency(string currency, decimal rate, decimal price)
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/price-lists", new { company, id = "LIST-" + currency, name = currency + " store", currency });
        await erp.PostAsync($"/api/erp/price-lists/LIST-{currency}/prices", new { company, sku = "DRESS", rate });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "THIRD", name = "A third off", kind = "Percentage", value = 100m / 3, skus = new[] { "DRESS" }, validFrom = On(6, 1), validTo = On(6, 30) });

        var plain = await erp.GetJsonAsync($"/api/erp/price-lists/LIST-{currency}/effective?company={company}&sku=DRESS&date={On(3, 3):yyyy-MM-dd}");
        var promoted = await erp.GetJsonAsync($"/api/erp/price-lists/LIST-{currency}/effective?company={company}&sku=DRESS&date={On(6, 3):yyyy-MM-dd}");

        Assert.Equal(price, plain.GetProperty("price").GetDecimal());
        Assert.Equal(price, promoted.GetProperty("compareAtPrice").GetDecimal());
        var decimals = currency switch { "KWD" => 3, "JPY" => 0, _ => 2 };
        Assert.Equal(Math.Round(price * (1 - (1m / 3)), decimals, MidpointRounding.AwayFromZero), promoted.GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task An_item_without_a_price_is_a_clear_error_and_price_changes_reach_the_outbox()
    {
        var company = await SetupAsync();

        var missing = await erp.Client.GetAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={On(1, 1):yyyy-MM-dd}");
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 500m });

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.price.changed'", new { company }));
    }

    [Fact]
    public async Task Many_items_are_priced_in_one_read_each_as_it_is_priced_alone()
    {
        var company = await SetupAsync();
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "HOME", name = "Home", parent = "PRODUCTS" });
        await erp.PostAsync("/api/erp/item-groups", new { company, id = "KITCHEN", name = "Kitchen", parent = "HOME" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "MUG", name = "Mug", itemGroup = "KITCHEN" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "SCARF", name = "Scarf" });
        await erp.PostAsync("/api/erp/items", new { company, sku = "HAT", name = "Hat" }); // on no price list
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1000m });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "DRESS", rate = 1100m, validFrom = On(9, 1) });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "MUG", rate = 200m, validTo = On(8, 31) });
        await erp.PostAsync("/api/erp/price-lists/WEB/prices", new { company, sku = "SCARF", rate = 300m });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "HOME20", name = "Home 20 %", kind = "Percentage", value = 20m, itemGroups = new[] { "HOME" }, validFrom = On(7, 1), validTo = On(7, 31) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "DRESS-100", name = "100 off dresses", kind = "Amount", value = 100m, skus = new[] { "DRESS" }, validFrom = On(7, 15), validTo = On(8, 15) });
        await erp.PostAsync("/api/erp/promotions", new { company, id = "APP10", name = "App 10 %", kind = "Percentage", value = 10m, skus = new[] { "SCARF" }, validFrom = On(7, 1), validTo = On(12, 31), channel = "shopify" });

        foreach (var channel in new[] { "shopify", "woocommerce" })
        {
            var (status, many) = await erp.PostAsync("/api/erp/price-lists/WEB/effective",
                new { company, skus = new[] { "DRESS", "MUG", "SCARF", "HAT", "DRESS" }, date = On(7, 20), channel });

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(["DRESS", "MUG", "SCARF"], many.EnumerateArray().Select(p => p.GetProperty("sku").GetString()));
            foreach (var price in many.EnumerateArray())
            {
                var alone = await erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku={price.GetProperty("sku").GetString()}&date={On(7, 20):yyyy-MM-dd}&channel={channel}");
                Assert.True(JsonElement.DeepEquals(alone, price), $"{alone} <> {price}");
            }

            var (dress, mug, scarf) = (many[0], many[1], many[2]);
            Assert.Equal((900m, 1000m, "DRESS-100"), Figures(dress));
            Assert.Equal((160m, 200m, "HOME20"), Figures(mug)); // a promotion on the group's parent group
            Assert.Equal(channel == "shopify" ? (270m, 300m, "APP10") : (300m, null, null), Figures(scarf));
            // HOME20 ends on 31 July: every price may change on 1 August, before DRESS's new price (1 September).
            Assert.All(many.EnumerateArray(), p => Assert.Equal(On(8, 1), DateOnly.Parse(p.GetProperty("changesOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private async Task<string> SetupAsync()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "DRESS", name = "Dress" });
        await erp.PostAsync("/api/erp/price-lists", new { company, id = "WEB", name = "Web store", currency = "EGP" });
        return company;
    }

    private Task<JsonElement> EffectiveAsync(string company, DateOnly date) =>
        erp.GetJsonAsync($"/api/erp/price-lists/WEB/effective?company={company}&sku=DRESS&date={date:yyyy-MM-dd}");

    private static (decimal, decimal?, string?) Figures(JsonElement price) =>
        (price.GetProperty("price").GetDecimal(),
         price.GetProperty("compareAtPrice").ValueKind == JsonValueKind.Null ? null : price.GetProperty("compareAtPrice").GetDecimal(),
         price.GetProperty("promotion").ValueKind == JsonValueKind.Null ? null : price.GetProperty("promotion").GetString());
}
