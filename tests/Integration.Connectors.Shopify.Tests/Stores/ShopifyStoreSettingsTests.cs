using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Stores;

public sealed class ShopifyStoreSettingsTests
{
    private static readonly Dictionary<string, string?> TwoStores = new()
    {
        ["Stores:0:ShopDomain"] = "cairo-books.myshopify.com",
        ["Stores:0:AppSecret"] = "s1",
        ["Stores:0:Name"] = "cairo",
        ["Stores:0:Company"] = "EG02",
        ["Stores:0:Warehouse"] = "CAIRO-WH",
        ["Stores:0:CostCenter"] = "SHOP-CAIRO",
        ["Stores:0:PriceList"] = "Retail",
        ["Stores:0:TimeZone"] = "Africa/Cairo",
        ["Stores:0:GuestCustomer"] = "GUEST",
        ["Stores:0:ShippingIncomeAccount"] = "4210",
        ["Stores:0:PaymentAccounts:shopify_payments"] = "1131",
        ["Stores:0:PaymentAccounts:Cash on Delivery (COD)"] = "1140",
        ["Stores:0:DefaultPaymentAccount"] = "1139",
        ["Stores:0:Locations:0:LocationId"] = "gid://shopify/Location/9007199254740993",
        ["Stores:0:Locations:0:Warehouse"] = "CAIRO-WH",
        ["Stores:0:Locations:1:LocationId"] = "655441491",
        ["Stores:0:Locations:1:Warehouse"] = "MAIN-WH",
        ["Stores:0:SyncProducts"] = "true",
        ["Stores:0:ProductSyncDebounce"] = "00:00:12",
        ["Stores:1:ShopDomain"] = "alex-books.myshopify.com",
        ["Stores:1:AppSecret"] = "s2",
    };

    [Fact]
    public async Task Settings_of_a_store_named_by_its_Name_carry_every_configured_value()
    {
        using var services = Create(TwoStores);
        var state = await RunActivityAsync(services, $$"""{ "id": "s", "type": "Shopify.StoreSettings", "version": 1, "store": {{Literal("cairo")}} }""");

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var settings = Assert.IsType<JsonObject>(state.ActivityOutputs["s"]["settings"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {
              "store": "cairo", "shopDomain": "cairo-books.myshopify.com", "company": "EG02", "warehouse": "CAIRO-WH",
              "costCenter": "SHOP-CAIRO", "priceList": "Retail", "timeZone": "Africa/Cairo", "guestCustomer": "GUEST", "shippingIncomeAccount": "4210", "customItemIncomeAccount": "4100", "refundDiscrepancyAccount": "4300",
              "paymentAccounts": { "Cash on Delivery (COD)": "1140", "shopify_payments": "1131", "gift_card": "2130" }, "defaultPaymentAccount": "1139",
              "giftCardAccount": "2130", "locations": { "9007199254740993": "CAIRO-WH", "655441491": "MAIN-WH" },
              "syncProducts": true, "productSyncDebounce": "00:00:12"
            }
            """), settings), settings.ToJsonString());
    }

    [Fact]
    public async Task A_store_named_by_its_shop_domain_without_settings_gets_the_ERP_seed_defaults()
    {
        using var services = Create(TwoStores);
        var state = await RunActivityAsync(services, $$"""{ "id": "s", "type": "Shopify.StoreSettings", "version": 1, "store": {{Literal("alex-books.myshopify.com")}} }""");

        var settings = Assert.IsType<JsonObject>(state.ActivityOutputs["s"]["settings"]);
        Assert.Equal("alex-books.myshopify.com", settings["store"]!.GetValue<string>());
        Assert.Equal("EG01", settings["company"]!.GetValue<string>());
        Assert.Equal("MAIN-WH", settings["warehouse"]!.GetValue<string>());
        Assert.Equal("ONLINE", settings["costCenter"]!.GetValue<string>());
        Assert.Equal("4200", settings["shippingIncomeAccount"]!.GetValue<string>());
        Assert.Equal("1130", settings["defaultPaymentAccount"]!.GetValue<string>());
        Assert.Null(settings["guestCustomer"]);
        Assert.Equal("UTC", settings["timeZone"]!.GetValue<string>());
        Assert.Empty(settings["locations"]!.AsObject());
        Assert.False(settings["syncProducts"]!.GetValue<bool>()); // productSet deletes what the ERP lacks: only on request
        Assert.Equal("00:00:05", settings["productSyncDebounce"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_store_faults_the_run_naming_the_configured_stores()
    {
        using var services = Create(TwoStores);
        var state = await RunActivityAsync(services, $$"""{ "id": "s", "type": "Shopify.StoreSettings", "version": 1, "store": {{Literal("giza")}} }""");

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        var incident = Assert.Single(state.Incidents);
        Assert.Contains("Unknown Shopify store 'giza'", incident.Message, StringComparison.Ordinal);
        Assert.Contains("cairo (cairo-books.myshopify.com)", incident.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Locations:0:LocationId", "gid://shopify/Product/1", "Stores:0:Locations:0:LocationId")]
    [InlineData("Locations:0:LocationId", "twelve", "Stores:0:Locations:0:LocationId")]
    [InlineData("AdminUrl", "localhost:8080", "Stores:0:AdminUrl")]
    [InlineData("ApiVersion", "2026-4", "Stores:0:ApiVersion")]
    [InlineData("Company", "", "Stores:0:Company")]
    [InlineData("TimeZone", "Cairo", "Stores:0:TimeZone")]
    [InlineData("Name", "alex-books.myshopify.com", "Stores:1:Name")]
    [InlineData("Warehouse", "GIZA-WH", "Stores:0:Warehouse")] // no location stands for it: its sales would never lower a location's stock
    public void A_bad_store_setting_is_refused_naming_the_setting(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string?>(TwoStores)
        {
            ["Stores:0:" + setting] = value,
            ["Stores:0:Locations:0:Warehouse"] = "CAIRO-WH",
        };
        using var services = Create(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ShopifyOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Connectors:Shopify:" + named, StringComparison.Ordinal));
    }

    [Fact]
    public void A_store_without_an_AdminUrl_is_reached_at_its_shop_domain()
    {
        using var services = Create(TwoStores);
        var stores = services.GetRequiredService<Integration.Connectors.Shopify.Stores.ShopifyStores>();

        Assert.Equal(new Uri("https://alex-books.myshopify.com/"), stores.Get("alex-books.myshopify.com").AdminBaseUri);
    }
}
