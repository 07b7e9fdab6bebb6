using Integration.Connectors.Shopify.Connect;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Stores;

/// <summary>
/// The shop read (credentials check, locations) waits for what Shopify asks for it before its first answer: the hourly
/// webhook check sends it while a nightly upload keeps the bucket nearly empty, and a lower guess would overdraw it.
/// </summary>
public sealed class ShopifyConnectionTests
{
    [Fact]
    public async Task The_shop_read_is_waited_for_at_no_less_than_what_Shopify_asks_for_it()
    {
        using var store = new ShopifySimulatorStore();

        var shop = await store.Services.GetRequiredService<ShopifyConnection>().ReadShopAsync("sim", CancellationToken.None);

        Assert.Equal((store.Simulator.Options.ShopDomain, store.Simulator.Options.Currency), (shop.ShopDomain, shop.Currency));
        Assert.Equal(store.Simulator.State.Locations.Count, shop.Locations.Count);
        var requested = store.Simulator.LastRequestedCost("Shop");
        Assert.InRange(requested, 1, ShopifyConnection.ShopReadCost);
        // The estimate is what the client learnt from the answer too: the next read waits for the same.
        Assert.Equal(requested, store.Client.Throttle.EstimateOf("Shop"));
    }
}
