using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>A store whose products the ERP masters and prices from its price list <see cref="PriceList"/>.</summary>
public sealed class ShopifyPricedProductHost : ShopifyProductHost
{
    public const string PriceList = "WEB";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
        [.. base.Settings(database), new("Connectors:Shopify:Stores:0:PriceList", PriceList)];

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Ok(PostAsync("/api/erp/price-lists", new { company = "EG01", id = PriceList, name = "Web shop", currency = "EGP" }));
    }
}
