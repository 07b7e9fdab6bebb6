using Integration.Testing;

namespace Integration.Host.Tests.Security;

/// <summary>
/// A Shopify store's gift card account that its ETA seller does not leave off the receipts, or its custom item account
/// that the seller has no code for, stops the start.
/// </summary>
public sealed class SellerStoreAccountsRuleTests
{
    [Theory]
    [InlineData("2140", "2130", true)]
    [InlineData("2140", "2140", false)]
    [InlineData("2130", "2130", false)]
    public async Task A_gift_card_account_the_stores_eta_seller_would_report_as_sales_stops_the_start(string giftCardAccount, string prepaidAccount, bool refused)
    {
        var message = await StartRefusalAsync($"--Connectors:Shopify:Stores:0:GiftCardAccount={giftCardAccount}", $"--Connectors:Eta:Sellers:0:PrepaidAccounts:0={prepaidAccount}");

        Assert.Equal(refused, message.Contains("Connectors:Eta:Sellers:0:PrepaidAccounts", StringComparison.Ordinal));
        if (refused)
        {
            Assert.Contains("Connectors:Shopify:Stores:0:GiftCardAccount ('2140')", message, StringComparison.Ordinal);
        }
        else
        {
            // Nothing else in the settings is wrong: the consistent pair starts (or fails later, on the absent database).
            Assert.DoesNotContain("Connectors:", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, null, false)] // the defaults: 4100, coded CUSTOM
    [InlineData("4150", null, true)]
    [InlineData("4150", "4150", false)]
    public async Task A_custom_item_account_the_stores_eta_seller_has_no_code_for_stops_the_start(string? customItemAccount, string? chargeCodeAccount, bool refused)
    {
        var message = await StartRefusalAsync(
            customItemAccount is null ? null : $"--Connectors:Shopify:Stores:0:CustomItemIncomeAccount={customItemAccount}",
            chargeCodeAccount is null ? null : $"--Connectors:Eta:Sellers:0:ChargeCodes:{chargeCodeAccount}=CUSTOM");

        Assert.Equal(refused, message.Contains("Connectors:Eta:Sellers:0:ChargeCodes needs an entry for Connectors:Shopify:Stores:0:CustomItemIncomeAccount ('4150')", StringComparison.Ordinal));
        if (!refused)
        {
            Assert.DoesNotContain("Connectors:", message, StringComparison.Ordinal);
        }
    }

    /// <summary>Starts a host with one Shopify store and its ETA seller, plus the settings given; what refused the start, "" when it started.</summary>
    private static async Task<string> StartRefusalAsync(params string?[] settings)
    {
        string[] args =
        [
            "--contentRoot=" + RepoPaths.Root, "--urls=http://127.0.0.1:0", "--DATABASE_URL=postgresql://postgres@127.0.0.1:9/nowhere",
            "--Database:MigrateOnStart=false", "--Flows:Schedules=false", "--Flows:DispatchInbox=false", "--Flows:DispatchOutbox=false", "--Flows:ResumeBookmarks=false",
            "--Connectors:Shopify:Stores:0:ShopDomain=cairo.myshopify.com", "--Connectors:Shopify:Stores:0:Name=cairo",
            "--Connectors:Shopify:Stores:0:AppSecret=app-secret-of-the-store",
            "--Connectors:Eta:Devices:0:Serial=POS-1", "--Connectors:Eta:Devices:0:ClientId=client-1", "--Connectors:Eta:Devices:0:ClientSecret=client-secret-1",
            "--Connectors:Eta:Sellers:0:Store=shopify/cairo", "--Connectors:Eta:Sellers:0:Device=POS-1", "--Connectors:Eta:Sellers:0:Rin=123456789",
            "--Connectors:Eta:Sellers:0:CompanyTradeName=Cairo Shop", "--Connectors:Eta:Sellers:0:ActivityCode=4791",
            "--Connectors:Eta:Sellers:0:BranchAddress:Governate=Cairo", "--Connectors:Eta:Sellers:0:BranchAddress:RegionCity=Nasr City",
            "--Connectors:Eta:Sellers:0:BranchAddress:Street=Abbas El Akkad", "--Connectors:Eta:Sellers:0:BranchAddress:BuildingNumber=1",
            .. settings.OfType<string>(),
        ];
        return await StartRefusal.OfAsync(args);
    }
}
