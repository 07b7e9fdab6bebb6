using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Simulators.WooCommerce;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary><c>woocommerce-customer-push</c> with two WooCommerce stores: what the ERP masters reaches every store the customer belongs to.</summary>
public sealed class CustomerPushTests(WooTwoStoresHost host) : IClassFixture<WooTwoStoresHost>
{
    [Fact]
    public async Task A_customer_of_two_stores_gets_the_fields_the_erp_masters_in_both_and_neither_echo_comes_back()
    {
        // The same buyer has an account in each store, under each store's own id, and one ERP customer linked to both
        // (the store sync flags a second account with a known email as a possible duplicate; a person links them with
        // the customer's external-ids endpoint).
        var cairo = new WooOrderPayload();
        var alex = new WooOrderPayload { Email = cairo.Email };
        host.Woo.State.PutCustomer(cairo.Customer());
        var alexCustomer = alex.Customer();
        alexCustomer["meta_data"] = new JsonArray(new JsonObject { ["id"] = 9002, ["key"] = "loyalty_tier", ["value"] = "silver" });
        host.Outlet.State.PutCustomer(alexCustomer);
        var (status, created) = await host.PostAsync("/api/erp/customers", new
        {
            company = "EG01", name = "Nour Hassan", email = cairo.Email,
            externalIds = new[] { new { source = "woocommerce", store = WooCommerceStoreHost.Store, id = cairo.CustomerId.ToString(CultureInfo.InvariantCulture) } },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        var erpId = created.GetProperty("id").GetString()!;
        var (linked, _) = await host.PostAsync($"/api/erp/customers/{erpId}/external-ids",
            new { company = "EG01", source = "woocommerce", store = WooTwoStoresHost.OutletStore, id = alex.CustomerId.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(System.Net.HttpStatusCode.OK, linked);
        Assert.Equal(erpId, await LinkedAsync(WooCommerceStoreHost.Store, cairo.CustomerId));
        Assert.Equal(erpId, await LinkedAsync(WooTwoStoresHost.OutletStore, alex.CustomerId));
        await DeliverAsync(host.Woo, "customer.created", cairo.CustomerId);
        await DeliverAsync(host.Outlet, "customer.created", alex.CustomerId);
        Assert.Equal(erpId, await LinkedAsync(WooTwoStoresHost.OutletStore, alex.CustomerId));

        using (var put = await host.Client.PutAsJsonAsync($"/api/erp/customers/{erpId}", new { company = "EG01", taxId = "EG-111-222-333", creditLimit = 7500m }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await ShopifyStoreHost.EventuallyAsync(
            () => Meta(host.Woo, cairo.CustomerId, "tax_id") == "EG-111-222-333" && Meta(host.Outlet, alex.CustomerId, "tax_id") == "EG-111-222-333",
            "the ERP's fields reach both stores");
        Assert.Equal("7500", Meta(host.Woo, cairo.CustomerId, "erp_credit_limit"));
        Assert.Equal("7500", Meta(host.Outlet, alex.CustomerId, "erp_credit_limit"));
        Assert.Equal("silver", Meta(host.Outlet, alex.CustomerId, "loyalty_tier"));

        // One run per store, each correlated with that store's customer.
        var cairoRun = await PushRunAsync(WooCommerceStoreHost.Store, cairo.CustomerId);
        var alexRun = await PushRunAsync(WooTwoStoresHost.OutletStore, alex.CustomerId);
        Assert.StartsWith("written ", cairoRun.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("written ", alexRun.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);

        // Each store then sends customer.updated for our write: the ERP's fields in it are echoes and do not come back
        // (the store's own fields, newer now in the store, may), so nothing is pushed again.
        const string ErpFieldChanges = "SELECT count(*) FROM integration.outbox WHERE topic = 'erp.customer.changed' AND entity_key = @erpId AND payload->'changed' ?| array['creditLimit', 'customerGroup', 'taxId']";
        var changesBefore = await host.CountAsync(ErpFieldChanges, new { erpId });
        await DeliverAsync(host.Woo, "customer.updated", cairo.CustomerId);
        await DeliverAsync(host.Outlet, "customer.updated", alex.CustomerId);
        Assert.Equal(changesBefore, await host.CountAsync(ErpFieldChanges, new { erpId }));
        Assert.Equal(2, (await host.GetJsonAsync("/api/runs?definitionId=woocommerce-customer-push-store&limit=50")).GetArrayLength());
        var erp = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("EG-111-222-333", erp.GetProperty("taxId").GetString());
        Assert.Equal(7500m, erp.GetProperty("creditLimit").GetDecimal());
    }

    private async Task<string> LinkedAsync(string store, long customerId)
    {
        await using var connection = await host.OpenAsync();
        return Assert.Single(await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @store AND external_id = @id",
            new { store, id = customerId.ToString(CultureInfo.InvariantCulture) }));
    }

    /// <summary>The store's push run (stored once it ended, which may be a moment after its write reached the store).</summary>
    private async Task<System.Text.Json.JsonElement> PushRunAsync(string store, long customerId)
    {
        List<System.Text.Json.JsonElement> pushes = [];
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            pushes = [.. (await host.GetJsonAsync($"/api/runs?correlationId={Uri.EscapeDataString($"woocommerce:{store}:customer:{customerId}")}")).EnumerateArray()
                .Where(r => r.GetProperty("definitionId").GetString() == "woocommerce-customer-push-store")];
            return pushes.Count > 0;
        }, $"the push run of {store} is stored");
        var run = Assert.Single(pushes);
        return await host.GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}");
    }

    private static string? Meta(WooCommerceSimulator store, long customerId, string key) =>
        (store.State.Customer(customerId)?["meta_data"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(m => (string?)m["key"] == key).Select(m => m["value"]?.ToString()).SingleOrDefault();

    private async Task DeliverAsync(WooCommerceSimulator store, string topic, long customerId) =>
        Assert.Equal(["done"], await host.WaitAsync(await store.Webhooks.TriggerAsync(topic, customerId)));
}
