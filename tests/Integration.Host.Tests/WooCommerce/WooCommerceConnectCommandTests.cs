using System.CommandLine;
using Dapper;
using Integration.Host.Cli;
using Integration.Simulators.WooCommerce;
using Integration.Testing;

namespace Integration.Host.Tests.WooCommerce;

public sealed class WooCommerceConnectCommandTests
{
    private const string HookRoot = "https://host.example/webhooks/woocommerce";

    [Fact]
    public async Task Connect_records_the_store_and_creates_each_webhook_once_then_repairs_a_disabled_one()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("woocommerce-connect");
        using var store = new WooCommerceSimulator(new WooCommerceSimulatorOptions { Currency = "EGP", SiteUrl = "https://cairo-shop.example", Version = "9.4.0" });

        var (firstCode, first) = await RunCli(database, store, store.Options.ConsumerSecret);
        var (secondCode, second) = await RunCli(database, store, store.Options.ConsumerSecret);
        store.State.Webhooks.Single(w => w.Topic == "order.updated").Status = "disabled"; // five failed deliveries later
        var (thirdCode, third) = await RunCli(database, store, store.Options.ConsumerSecret);

        Assert.Equal(0, firstCode);
        Assert.Contains("Connected cairo: https://cairo-shop.example (EGP, WooCommerce 9.4.0", first, StringComparison.Ordinal);
        Assert.Contains("6 created, 0 re-enabled, 0 already active", first, StringComparison.Ordinal);
        Assert.Equal(0, secondCode);
        Assert.Contains("0 created, 0 re-enabled, 6 already active", second, StringComparison.Ordinal);
        Assert.Equal(0, thirdCode);
        Assert.Contains("~ order.updated", third, StringComparison.Ordinal);
        Assert.Equal(6, store.State.Webhooks.Count);
        Assert.All(store.State.Webhooks, w => Assert.Equal((HookRoot + "/cairo", "active", "hush"), (w.DeliveryUrl, w.Status, w.Secret)));

        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleAsync<(string SiteUrl, string Currency, string Version)>(
            "SELECT site_url, currency, woocommerce_version FROM integration.woocommerce_stores WHERE store = 'cairo'");
        Assert.Equal(("https://cairo-shop.example", "EGP", "9.4.0"), row);
    }

    [Fact]
    public async Task Connect_with_a_refused_key_fails_saying_so_and_creates_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("woocommerce-connect-bad");
        using var store = new WooCommerceSimulator();

        var (code, output) = await RunCli(database, store, "cs_wrong");

        Assert.Equal(1, code);
        Assert.Contains("REST API key was refused (401)", output, StringComparison.Ordinal);
        Assert.Empty(store.State.Webhooks);
    }

    [Fact]
    public async Task Connect_fails_saying_so_when_the_stores_price_list_is_in_another_currency_than_the_store()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("woocommerce-connect-currency");
        using var store = new WooCommerceSimulator(new WooCommerceSimulatorOptions { Currency = "USD" });
        Assert.Equal(0, (await RunCli(database, store, store.Options.ConsumerSecret)).Code); // the database made, no price list named yet
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO erp.company (id, name, currency) VALUES ('EG01', 'Retail EG', 'EGP') ON CONFLICT DO NOTHING");
            await connection.ExecuteAsync("INSERT INTO erp.price_list (company, id, name, currency) VALUES ('EG01', 'WEB', 'Web shop', 'EGP')");
        }

        var (code, output) = await RunCli(database, store, store.Options.ConsumerSecret, "--Connectors:WooCommerce:Stores:0:PriceList=WEB");

        Assert.Equal(1, code);
        Assert.Contains("price list WEB is in EGP, but cairo sells in USD", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCli(TestDatabase database, WooCommerceSimulator store, string secret, params string[] more)
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(
        [
            "woocommerce", "connect", "--store", "cairo", "--webhook-url", HookRoot,
            "--DATABASE_URL=" + database.Url,
            "--Connectors:WooCommerce:Stores:0:Name=cairo",
            "--Connectors:WooCommerce:Stores:0:BaseUrl=" + store.BaseUrl,
            "--Connectors:WooCommerce:Stores:0:ConsumerKey=" + store.Options.ConsumerKey,
            "--Connectors:WooCommerce:Stores:0:ConsumerSecret=" + secret,
            "--Connectors:WooCommerce:Stores:0:WebhookSecret=hush",
            .. more,
        ]).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output });
        return (code, output.ToString());
    }
}
