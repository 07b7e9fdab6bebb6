using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store whose products the ERP masters and prices from its price list <see cref="PriceList"/> (in UTC); the host's
/// clock can be moved forward (<see cref="Clock"/>).
/// </summary>
public sealed class ShopifyPricedProductHost : ShopifyProductHost
{
    public const string PriceList = "WEB";

    public ShiftedClock Clock { get; } = new();

    /// <summary>The store's date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
        [.. base.Settings(database), new("Connectors:Shopify:Stores:0:PriceList", PriceList)];

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Ok(PostAsync("/api/erp/price-lists", new { company = "EG01", id = PriceList, name = "Web shop", currency = "EGP" }));
    }
}
