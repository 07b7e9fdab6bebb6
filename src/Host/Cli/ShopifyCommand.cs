using System.CommandLine;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Connect;
using Integration.Connectors.Shopify.Stores;
using Integration.Connectors.Shopify;
using Integration.Host.Database;
using Integration.Host.Security;
using Integration.Workflows.Connectors;
using Npgsql;

namespace Integration.Host.Cli;

/// <summary>
/// <c>shopify connect --store X [--webhook-url URL]</c>: checks the store's credentials, records the shop (id, name,
/// currency, locations) in the database and subscribes the webhook topics the flows need, once. Exits 1 with the reason
/// when the store is unknown or refuses the token.
/// </summary>
internal static class ShopifyCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store's Name or shop domain (Connectors:Shopify:Stores).", Required = true };
        var webhookUrl = new Option<string?>("--webhook-url") { Description = "Where Shopify sends webhooks: this host's public https://.../webhooks/shopify (default: Connectors:Shopify:WebhookUrl)." };
        var connect = new Command("connect", "Check a store's credentials, record the shop and subscribe its webhooks.") { store, webhookUrl };
        connect.TreatUnmatchedTokensAsErrors = false;
        connect.SetAction((parse, cancellationToken) => ConnectAsync(parse.GetValue(store)!, parse.GetValue(webhookUrl), [.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, cancellationToken));
        return new Command("shopify", "Shopify stores: connect.") { connect };
    }

    internal static async Task<int> ConnectAsync(string store, string? webhookUrl, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = SecretFiles.Read(args);
        var url = webhookUrl ?? configuration["Connectors:Shopify:WebhookUrl"];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var callback))
        {
            await output.WriteLineAsync("shopify connect: give --webhook-url (or Connectors:Shopify:WebhookUrl): the public URL of POST /webhooks/shopify.");
            return 1;
        }

        var services = new ServiceCollection().AddLogging();
        new ShopifyConnectorModule().Register(new ConnectorContext(services, configuration));
        await using var provider = services.BuildServiceProvider();
        ShopifyConnectResult result;
        try
        {
            result = await provider.GetRequiredService<ShopifyConnection>().ConnectAsync(store, callback, cancellationToken);
        }
        catch (Exception ex) when (ex is ShopifyException or InvalidOperationException)
        {
            // Unknown store, bad settings, refused token: the message says which.
            await output.WriteLineAsync("shopify connect: " + ex.Message);
            return 1;
        }

        var connectionString = DatabaseConnection.Resolve(configuration);
        await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(cancellationToken);
        bool resumed;
        string? listCurrency = null;
        var settings = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShopifyOptions>>().Value.Stores
            .FirstOrDefault(s => string.Equals(s.Name ?? s.ShopDomain, result.Shop.Store, StringComparison.OrdinalIgnoreCase));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await ShopifyShopRecords.SaveAsync(connection, result.Shop, TimeProvider.System.GetUtcNow());
            // The token works again: pushes and scheduled reads paused by an uninstall go on.
            resumed = await ShopifyStorePauses.ResumeAsync(connection, result.Shop.Store);
            if (settings?.PriceList is { Length: > 0 } priceList)
            {
                listCurrency = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                    "SELECT currency FROM erp.price_list WHERE company = @Company AND id = @priceList", new { settings.Company, priceList });
            }
        }

        var shop = result.Shop;
        await output.WriteLineAsync($"Connected {shop.Store}: {shop.Name} ({shop.ShopDomain}, shop {shop.ShopId}, {shop.Currency})");
        if (resumed)
        {
            await output.WriteLineAsync("  paused since the app was uninstalled: resumed (run the shopify-reconcile-orders schedule for the orders missed meanwhile)");
        }

        foreach (var location in shop.Locations)
        {
            await output.WriteLineAsync($"  location {location.Id} {location.Name}{(location.IsActive ? "" : " (inactive)")}");
        }

        await output.WriteLineAsync($"Webhooks to {callback.AbsoluteUri}: {result.Subscribed.Count} subscribed now, {result.AlreadySubscribed.Count} already there");
        foreach (var topic in result.Subscribed)
        {
            await output.WriteLineAsync("  + " + topic);
        }

        // A price list in another currency than the shop's would have its amounts shown in the shop's (450 EGP as $450).
        if (listCurrency is not null && !string.Equals(listCurrency.Trim(), result.Shop.Currency, StringComparison.OrdinalIgnoreCase))
        {
            await output.WriteLineAsync($"shopify connect: price list {settings!.PriceList} is in {listCurrency.Trim()}, but {result.Shop.Store} sells in {result.Shop.Currency}: " +
                "its prices would be shown as the shop's currency. Give the store a price list in the shop's currency (PriceList) before prices are pushed.");
            return 1;
        }

        return 0;
    }
}
