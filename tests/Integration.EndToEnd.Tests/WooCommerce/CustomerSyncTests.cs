using System.Globalization;
using Integration.EndToEnd.Tests.Shopify;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>WooCommerce customers through <c>woocommerce-customer-sync</c>: matched or created once, the store's fields kept current.</summary>
public sealed class CustomerSyncTests(WooCommerceStoreHost host) : IClassFixture<WooCommerceStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_new_customer_becomes_one_erp_customer_and_a_change_of_address_follows()
    {
        var buyer = new WooOrderPayload();
        var customer = buyer.Customer();
        host.Woo.State.PutCustomer(customer);
        await DeliverAsync("customer.created", buyer.CustomerId);
        await DeliverAsync("customer.created", buyer.CustomerId); // the same delivery again: nothing new

        var erpId = await books.SingleAsync<string>("SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @Store AND external_id = @id",
            new { WooCommerceStoreHost.Store, id = buyer.CustomerId.ToString(CultureInfo.InvariantCulture) });
        var created = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("Nour Hassan", created.GetProperty("name").GetString());
        Assert.Equal(buyer.Email, created.GetProperty("email").GetString());

        customer["billing"]!["city"] = "Alexandria";
        customer["billing"]!["address_1"] = "3 Corniche Rd";
        host.Woo.State.PutCustomer(customer);
        await DeliverAsync("customer.updated", buyer.CustomerId);

        var updated = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("Alexandria", updated.GetProperty("billingAddress").GetProperty("city").GetString());
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.customer WHERE lower(email) = lower(@Email)", new { buyer.Email }));
    }

    private async Task DeliverAsync(string topic, long customerId) =>
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync(topic, customerId)));
}
