using System.Globalization;
using Integration.Simulators.Shopify;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store with two locations standing for two warehouses: its main location for MAIN-WH, a Cairo branch for
/// BRANCH-WH. The ERP holds the three items in MAIN-WH, a red scarf only the branch stocks, and a blue one of which
/// neither location has three (one in MAIN-WH, two in BRANCH-WH).
/// </summary>
public sealed class ShopifyTwoLocationsHost : ShopifyStoreHost
{
    public static readonly string[] Skus = ["TSHIRT-BLU-M", "MUG-WHT", "CAP-BLK", "SCARF-RED", "SCARF-BLU"];

    public SimulatedLocation Branch { get; }

    public ShopifyTwoLocationsHost() => Branch = Shopify.State.AddLocation("Cairo branch");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Shopify:Stores:0:Locations:0:LocationId", Shopify.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:Warehouse", "MAIN-WH"),
        new("Connectors:Shopify:Stores:0:Locations:1:LocationId", Branch.Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:1:Warehouse", "BRANCH-WH"),
    ];

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Ok(PostAsync("/api/erp/warehouses", new { company = "EG01", id = "BRANCH-WH", name = "Cairo branch", parent = "ALL-WH", stockAccount = "1160" }));
        await Ok(PostAsync("/api/erp/items", new { company = "EG01", sku = "SCARF-RED", name = "Scarf red", itemGroup = "PRODUCTS" }));
        await Ok(PostAsync("/api/erp/items", new { company = "EG01", sku = "SCARF-BLU", name = "Scarf blue", itemGroup = "PRODUCTS" }));
        await Ok(PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01",
            purpose = "Receipt",
            postingDate = "2026-11-01",
            // One blue scarf at each location would not do: three of them are at no one location (one main, two branch).
            lines = new object[]
            {
                new { sku = "SCARF-RED", qty = 5, rate = 60, warehouse = "BRANCH-WH" },
                new { sku = "SCARF-BLU", qty = 1, rate = 60, warehouse = "MAIN-WH" },
                new { sku = "SCARF-BLU", qty = 2, rate = 70, warehouse = "BRANCH-WH" },
            },
        }));
        Shopify.State.AddProduct("Shop basics", Skus);
    }
}
