using System.CommandLine;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Connect;
using Integration.Connectors.WooCommerce;
using Integration.Host.Database;
using Integration.Host.Security;
using Integration.Workflows.Connectors;
using Npgsql;

namespace Integration.Host.Cli;

/// <summary>
/// <c>woocommerce connect --store X [--webhook-url URL]</c>: checks the store's REST API key (<c>system_status</c>), records
/// the store (site, currency, versions) in the database and makes sure each webhook the flows need exists, is active and
/// signs with the store's secret: created when missing, re-enabled when WooCommerce disabled it. Safe to run again.
/// Exits 1 with the reason when the store is unknown or refuses the key.
/// </summary>
internal static class WooCommerceCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store's Name (Connectors:WooCommerce:Stores).", Required = true };
        var webhookUrl = new Option<string?>("--webhook-url") { Description = "This host's public https://.../webhooks/woocommerce, without the store (default: Connectors:WooCommerce:WebhookUrl)." };
        var connect = new Command("connect", "Check a store's REST API key, record the store and create or repair its webhooks.") { store, webhookUrl };
        connect.TreatUnmatchedTokensAsErrors = false;
        connect.SetAction((parse, cancellationToken) => ConnectAsync(parse.GetValue(store)!, parse.GetValue(webhookUrl), [.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, cancellationToken));
        return new Command("woocommerce", "WooCommerce stores: connect.") { connect };
    }

    internal static async Task<int> ConnectAsync(string store, string? webhookUrl, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = SecretFiles.Read(args);
        var url = webhookUrl ?? configuration[WooCommerceOptions.Section + ":WebhookUrl"];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var callback))
        {
            await output.WriteLineAsync("woocommerce connect: give --webhook-url (or Connectors:WooCommerce:WebhookUrl): the public URL of POST /webhooks/woocommerce, without the store.");
            return 1;
        }

        var services = new ServiceCollection().AddLogging();
        new WooCommerceConnectorModule().Register(new ConnectorContext(services, configuration));
        await using var provider = services.BuildServiceProvider();
        WooCommerceConnectResult result;
        try
        {
            result = await provider.GetRequiredService<WooCommerceConnection>().ConnectAsync(store, callback, cancellationToken);
        }
        catch (Exception ex) when (ex is WooCommerceException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Unknown store, bad settings, refused key: the message says which.
            await output.WriteLineAsync("woocommerce connect: " + ex.Message);
            return 1;
        }

        var connectionString = DatabaseConnection.Resolve(configuration);
        await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(cancellationToken);
        string? listCurrency = null;
        var settings = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WooCommerceOptions>>().Value.Stores
            .FirstOrDefault(s => string.Equals(s.Name, result.Facts.Store, StringComparison.OrdinalIgnoreCase));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await WooCommerceStoreRecords.SaveAsync(connection, result.Facts, TimeProvider.System.GetUtcNow());
            if (settings?.PriceList is { Length: > 0 } priceList)
            {
                listCurrency = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                    "SELECT currency FROM erp.price_list WHERE company = @Company AND id = @priceList", new { settings.Company, priceList });
            }
        }

        var facts = result.Facts;
        await output.WriteLineAsync($"Connected {facts.Store}: {facts.SiteUrl} ({facts.Currency}, WooCommerce {facts.WooCommerceVersion ?? "?"}, WordPress {facts.WordPressVersion ?? "?"})");
        await output.WriteLineAsync($"Webhooks to {result.DeliveryUrl.AbsoluteUri}: {result.Created.Count()} created, {result.Reactivated.Count()} re-enabled, {result.Present.Count()} already active"
            + (result.DuplicatesRemoved > 0 ? $", {result.DuplicatesRemoved} duplicates deleted" : ""));
        foreach (var webhook in result.Webhooks.Where(w => w.Action != "active"))
        {
            await output.WriteLineAsync($"  {(webhook.Action == "created" ? "+" : "~")} {webhook.Topic} (webhook {webhook.Id}, {webhook.Action})");
        }

        // A price list in another currency than the store's would have its amounts shown in the store's (450 EGP as $450).
        if (listCurrency is not null && facts.Currency is { Length: > 0 } storeCurrency && !string.Equals(listCurrency.Trim(), storeCurrency.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            await output.WriteLineAsync($"woocommerce connect: price list {settings!.PriceList} is in {listCurrency.Trim()}, but {facts.Store} sells in {storeCurrency}: " +
                "its prices would be shown as the store's currency. Give the store a price list in the store's currency (PriceList) before prices are pushed.");
            return 1;
        }

        return 0;
    }
}
