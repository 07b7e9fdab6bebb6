using System.CommandLine;
using Dapper;
using Integration.Host.Cli;
using Integration.Simulators.Shopify;
using Integration.Testing;

namespace Integration.Host.Tests.Shopify;

public sealed class ShopifyConnectCommandTests
{
    private const string Hook = "https://host.example/webhooks/shopify";

    [Fact]
    public async Task Connect_records_the_shop_and_subscribes_each_topic_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("shopify-connect");
        using var simulator = new ShopifySimulator(new ShopifySimulatorOptions { ShopName = "Cairo Books", Currency = "EGP" });
        var branch = simulator.State.AddLocation("Cairo shop");

        var (firstCode, first) = await RunCli(database, simulator, simulator.Options.AccessToken);
        var (secondCode, second) = await RunCli(database, simulator, simulator.Options.AccessToken);

        Assert.Equal(0, firstCode);
        Assert.Contains("Connected cairo: Cairo Books", first, StringComparison.Ordinal);
        Assert.Contains("8 subscribed now, 0 already there", first, StringComparison.Ordinal);
        Assert.Equal(0, secondCode);
        Assert.Contains("0 subscribed now, 8 already there", second, StringComparison.Ordinal);
        Assert.Equal(8, simulator.State.WebhookSubscriptions.Count);
        Assert.Equal(8, simulator.State.WebhookSubscriptions.Select(s => s.Topic).Distinct().Count());
        Assert.All(simulator.State.WebhookSubscriptions, s => Assert.Equal(Hook, s.Uri));

        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleAsync<(long ShopId, string Name, string Currency, string Locations)>(
            "SELECT shop_id, name, currency, locations::text FROM integration.shopify_shops WHERE store = 'cairo'");
        Assert.Equal(simulator.Options.ShopId, row.ShopId);
        Assert.Equal("Cairo Books", row.Name);
        Assert.Equal("EGP", row.Currency);
        Assert.Contains(branch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Locations, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_resumes_a_store_paused_by_an_app_uninstall()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("shopify-connect-resume");
        using var simulator = new ShopifySimulator();
        Assert.Equal(0, (await RunCli(database, simulator, simulator.Options.AccessToken)).Code);
        await using (var connection = await database.OpenAsync())
        {
            await Integration.Connectors.Shopify.Stores.ShopifyStorePauses.PauseAsync(connection, "cairo", "app/uninstalled", DateTimeOffset.UtcNow);
        }

        var (code, output) = await RunCli(database, simulator, simulator.Options.AccessToken);

        Assert.Equal(0, code);
        Assert.Contains("paused since the app was uninstalled: resumed", output, StringComparison.Ordinal);
        await using var check = await database.OpenAsync();
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.shopify_store_pauses"));
    }

    [Fact]
    public async Task Connect_with_a_refused_token_fails_saying_so_and_subscribes_nothing()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("shopify-connect-bad");
        using var simulator = new ShopifySimulator();

        var (code, output) = await RunCli(database, simulator, "shpat_wrong");

        Assert.Equal(1, code);
        Assert.Contains("access token was refused (401)", output, StringComparison.Ordinal);
        Assert.Empty(simulator.State.WebhookSubscriptions);
    }

    [Fact]
    public async Task Connect_fails_saying_so_when_the_stores_price_list_is_in_another_currency_than_the_shop()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("shopify-connect-currency");
        using var simulator = new ShopifySimulator(new ShopifySimulatorOptions { Currency = "USD" });
        Assert.Equal(0, (await RunCli(database, simulator, simulator.Options.AccessToken)).Code); // the database made, no price list named yet
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO erp.company (id, name, currency) VALUES ('EG01', 'Retail EG', 'EGP') ON CONFLICT DO NOTHING");
            await connection.ExecuteAsync("INSERT INTO erp.price_list (company, id, name, currency) VALUES ('EG01', 'WEB', 'Web shop', 'EGP')");
        }

        var (code, output) = await RunCli(database, simulator, simulator.Options.AccessToken, "--Connectors:Shopify:Stores:0:PriceList=WEB");

        Assert.Equal(1, code);
        Assert.Contains("price list WEB is in EGP, but cairo sells in USD", output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> RunCli(TestDatabase database, ShopifySimulator simulator, string token, params string[] more)
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(
        [
            "shopify", "connect", "--store", "cairo", "--webhook-url", Hook,
            "--DATABASE_URL=" + database.Url,
            "--Connectors:Shopify:Stores:0:ShopDomain=" + simulator.Options.ShopDomain,
            "--Connectors:Shopify:Stores:0:Name=cairo",
            "--Connectors:Shopify:Stores:0:AppSecret=" + simulator.Options.AppSecret,
            "--Connectors:Shopify:Stores:0:AccessToken=" + token,
            "--Connectors:Shopify:Stores:0:AdminUrl=" + simulator.AdminUrl,
            .. more,
        ]).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output });
        return (code, output.ToString());
    }
}
