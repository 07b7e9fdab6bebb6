using System.Globalization;
using System.Net.Http.Json;
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

    [Fact]
    public async Task Fields_the_erp_masters_reach_the_woocommerce_customer_and_the_echo_is_dropped()
    {
        var buyer = new WooOrderPayload();
        var customer = buyer.Customer();
        customer["meta_data"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 9001, ["key"] = "loyalty_tier", ["value"] = "gold" });
        host.Woo.State.PutCustomer(customer);
        await DeliverAsync("customer.created", buyer.CustomerId);
        var erpId = await books.SingleAsync<string>("SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @Store AND external_id = @id",
            new { WooCommerceStoreHost.Store, id = buyer.CustomerId.ToString(CultureInfo.InvariantCulture) });

        // Someone in the ERP sets the credit limit and the tax id: both reach the customer's meta data, the plugin's meta stays.
        using (var put = await host.Client.PutAsJsonAsync($"/api/erp/customers/{erpId}", new { company = "EG01", taxId = "EG-777-888-999", creditLimit = 5000m }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await ShopifyStoreHost.EventuallyAsync(() => Meta(buyer.CustomerId, "tax_id") == "EG-777-888-999" && Meta(buyer.CustomerId, "erp_credit_limit") == "5000", "the ERP's fields reach WooCommerce");
        Assert.Equal("gold", Meta(buyer.CustomerId, "loyalty_tier"));

        // WooCommerce then sends customer.updated for our own write: the echo is recognised and the ERP left alone.
        var changesBefore = await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE topic = 'erp.customer.changed' AND entity_key = @erpId", new { erpId });
        await DeliverAsync("customer.updated", buyer.CustomerId);

        var runs = (await host.GetJsonAsync($"/api/runs?correlationId={Uri.EscapeDataString($"woocommerce:{WooCommerceStoreHost.Store}:customer:{buyer.CustomerId}")}")).EnumerateArray().ToList();
        var pushed = await host.GetJsonAsync($"/api/runs/{runs.First(r => r.GetProperty("definitionId").GetString() == "woocommerce-customer-push-store").GetProperty("id").GetGuid()}");
        Assert.StartsWith("written ", pushed.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        var synced = await host.GetJsonAsync($"/api/runs/{runs.First(r => r.GetProperty("definitionId").GetString() == "woocommerce-customer-sync").GetProperty("id").GetGuid()}"); // newest first
        Assert.Equal($"Unchanged {erpId}", synced.GetProperty("output").GetProperty("outcome").GetString());
        var result = synced.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("activityId").GetString() == "customer").GetProperty("outputs").GetProperty("result");
        if (result.TryGetProperty("$payload", out var key))
        {
            result = await host.GetJsonAsync($"/api/runs/{synced.GetProperty("id").GetGuid()}/payloads/{Uri.EscapeDataString(key.GetString()!)}");
        }

        Assert.Contains(result.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("field").GetString() == "taxId" && s.GetProperty("reason").GetString() == "echo");
        Assert.Equal(changesBefore, await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE topic = 'erp.customer.changed' AND entity_key = @erpId", new { erpId }));
        var erp = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("EG-777-888-999", erp.GetProperty("taxId").GetString());
        Assert.Equal(5000m, erp.GetProperty("creditLimit").GetDecimal());
    }

    [Fact]
    public async Task A_tax_id_the_buyer_changes_in_the_store_after_the_erps_was_set_reaches_the_erp()
    {
        var buyer = new WooOrderPayload();
        host.Woo.State.PutCustomer(buyer.Customer());
        await DeliverAsync("customer.created", buyer.CustomerId);
        var erpId = await books.SingleAsync<string>("SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @Store AND external_id = @id",
            new { WooCommerceStoreHost.Store, id = buyer.CustomerId.ToString(CultureInfo.InvariantCulture) });
        using (var put = await host.Client.PutAsJsonAsync($"/api/erp/customers/{erpId}", new { company = "EG01", taxId = "EG-100-200-300" }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await ShopifyStoreHost.EventuallyAsync(() => Meta(buyer.CustomerId, "tax_id") == "EG-100-200-300", "the ERP's tax id reaches WooCommerce");

        // Both sides master the tax id, the later change wins (lastWriterWins): the buyer corrects it in the store after
        // the ERP's was set. The store's clock counts whole seconds, so the correction is made a second later.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var customer = host.Woo.State.Customer(buyer.CustomerId)!;
        customer["meta_data"]!.AsArray().OfType<System.Text.Json.Nodes.JsonObject>().Single(m => (string?)m["key"] == "tax_id")["value"] = "EG-400-500-600";
        host.Woo.State.PutCustomer(customer);
        await DeliverAsync("customer.updated", buyer.CustomerId);

        // Before, the ERP's side had no modification time, so the conflict had no winner and the change was dropped.
        var erp = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("EG-400-500-600", erp.GetProperty("taxId").GetString());
    }

    [Fact]
    public async Task A_store_customer_a_person_unlinked_is_not_linked_back_by_its_next_webhook()
    {
        var buyer = new WooOrderPayload();
        host.Woo.State.PutCustomer(buyer.Customer());
        await DeliverAsync("customer.created", buyer.CustomerId);
        var storeId = buyer.CustomerId.ToString(CultureInfo.InvariantCulture);
        const string Linked = "SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @Store AND external_id = @storeId";
        var wrong = await books.SingleAsync<string>(Linked, new { WooCommerceStoreHost.Store, storeId });

        // The link was wrong: a person takes the store's id off the ERP customer.
        using (var unlinked = await host.Client.DeleteAsync($"/api/erp/customers/{wrong}/external-ids/woocommerce/{WooCommerceStoreHost.Store}/{storeId}?company=EG01"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, unlinked.StatusCode);
        }

        // Before, the key map still named the old customer and the next webhook put the store's id back on it.
        await DeliverAsync("customer.updated", buyer.CustomerId);
        var now = await books.SingleAsync<string>(Linked, new { WooCommerceStoreHost.Store, storeId });
        Assert.NotEqual(wrong, now);
        Assert.Empty((await host.GetJsonAsync($"/api/erp/customers/{wrong}?company=EG01")).GetProperty("externalIds").EnumerateArray());
    }

    private string? Meta(long customerId, string key) =>
        (host.Woo.State.Customer(customerId)?["meta_data"] as System.Text.Json.Nodes.JsonArray ?? [])
            .OfType<System.Text.Json.Nodes.JsonObject>().Where(m => (string?)m["key"] == key).Select(m => m["value"]?.ToString()).SingleOrDefault();

    private async Task DeliverAsync(string topic, long customerId) =>
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync(topic, customerId)));
}
