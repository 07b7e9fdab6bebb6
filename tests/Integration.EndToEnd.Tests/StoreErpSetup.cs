using System.Net;
using System.Text.Json;
using Integration.Testing;

namespace Integration.EndToEnd.Tests;

/// <summary>The ERP a store host starts with (a guest customer, three items in stock), and its setup calls.</summary>
internal static class StoreErpSetup
{
    public static async Task SeedAsync(TestHost host, string guestCustomer)
    {
        await Ok(host.PostAsync("/api/erp/customers", new { company = "EG01", id = guestCustomer, name = "Walk-in and guest orders" }));
        foreach (var (sku, name) in new[] { ("TSHIRT-BLU-M", "T-shirt blue M"), ("MUG-WHT", "Mug white"), ("CAP-BLK", "Cap black") })
        {
            await Ok(host.PostAsync("/api/erp/items", new { company = "EG01", sku, name, itemGroup = "PRODUCTS" }));
        }

        await Ok(host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01",
            purpose = "Receipt",
            postingDate = "2026-11-01",
            lines = new object[]
            {
                new { sku = "TSHIRT-BLU-M", qty = 100, rate = 100, warehouse = "MAIN-WH" },
                new { sku = "MUG-WHT", qty = 100, rate = 40, warehouse = "MAIN-WH" },
                new { sku = "CAP-BLK", qty = 100, rate = 30, warehouse = "MAIN-WH" },
            },
        }));
    }

    public static async Task Ok(Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (status, body) = await call;
        Assert.True((int)status is >= 200 and < 300, $"ERP setup answered {(int)status}: {body}");
    }
}
