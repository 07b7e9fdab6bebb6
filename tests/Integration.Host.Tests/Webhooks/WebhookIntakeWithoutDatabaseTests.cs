using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Microsoft.AspNetCore.Hosting;

namespace Integration.Host.Tests.Webhooks;

public sealed class WebhookIntakeWithoutDatabaseTests
{
    [Fact]
    public async Task Delivery_that_cannot_be_stored_is_not_acknowledged_so_the_store_retries()
    {
        await using var factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nowhere");
            builder.UseSetting("Database:MigrateOnStart", "false");
            builder.UseSetting("Connectors:Shopify:Stores:0:ShopDomain", HostFixture.ShopDomain);
            builder.UseSetting("Connectors:Shopify:Stores:0:AppSecret", HostFixture.ShopSecret);
        });
        using var client = factory.CreateClient();
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

        var response = await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("storage-unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }
}
