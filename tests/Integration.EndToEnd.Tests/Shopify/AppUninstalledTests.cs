using System.Text.Json;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The merchant uninstalls the app: an incident names the store and the command that reconnects it. A host of its
/// own, since the uninstall pauses the store's schedules for the rest of the host's life.
/// </summary>
public sealed class AppUninstalledTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    [Fact]
    public async Task The_app_uninstalled_raises_an_incident_that_says_which_store_and_what_to_do()
    {
        // An order's signed body sent again as app/uninstalled (the signature covers the body, not the topic): ignored.
        var order = $$"""{"id":450789469,"name":"#1001","email":"bob@example.com","line_items":[]}""";
        Assert.Equal("ignored", await host.DeliverAsync("app/uninstalled", order));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.shopify_store_pauses WHERE store = @store", new { store = ShopifyStoreHost.Store }));

        var shop = $$"""{"id":548380009,"name":"Cairo Fashion","domain":"cairo-fashion.example","myshopify_domain":"{{ShopifyStoreHost.ShopDomain}}"}""";

        Assert.Equal("done", await host.DeliverAsync("app/uninstalled", shop));

        JsonElement incident = default;
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            incident = (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("definitionId").GetString() == "shopify-app-uninstalled");
            return incident.ValueKind == JsonValueKind.Object;
        }, "the uninstall incident");
        var message = incident.GetProperty("message").GetString()!;
        Assert.Contains($"Shopify store {ShopifyStoreHost.ShopDomain} (Cairo Fashion) uninstalled the app", message, StringComparison.Ordinal);
        Assert.Contains($"shopify connect --store {ShopifyStoreHost.ShopDomain}", message, StringComparison.Ordinal);
    }
}
