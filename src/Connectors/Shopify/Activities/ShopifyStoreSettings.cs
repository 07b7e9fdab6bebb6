using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.StoreSettings</c>: the ERP settings of a store (company, warehouse, accounts, locations), shaped as the
/// <c>values</c> of <c>Mappings.Apply</c>. An unknown store faults the run with the stores that are configured.
/// </summary>
internal sealed class ShopifyStoreSettings : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.StoreSettings", "Shopify", "Store settings",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain (as in X-Shopify-Shop-Domain); the only store when empty."),
            new InputDescriptor("skipIfPaused", "Boolean", Description:
                "Outcome Paused when the store is paused (its app was uninstalled): for pushes a later full upload heals and for scheduled reads; not for order intake or anything that must not be lost, which should fail (and be retried) instead."),
        ],
        [new OutputDescriptor("settings", "Object", "store, shopDomain, company, warehouse, costCenter, priceList, timeZone, guestCustomer, shippingIncomeAccount, refundDiscrepancyAccount, paymentAccounts, defaultPaymentAccount, locations.")],
        ["Done", "NoStore", "Paused"],
        Description: "Reads a Shopify store's ERP settings for mappings and ERP activities; NoStore when the host serves no Shopify store (ERP events then end quietly); Paused when asked to skip a paused store.");

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var stores = context.Services?.GetService<ShopifyStores>() ?? throw new InvalidOperationException("Shopify.StoreSettings needs the Shopify connector's services.");
        var named = context.Input<string>("store");
        if (string.IsNullOrWhiteSpace(named) && stores.Count == 0)
        {
            return ValueTask.FromResult(ActivityResult.Outcome("NoStore"));
        }

        var store = stores.Get(named);
        context.SetOutput("settings", StoreSettings.ToJson(store));
        if (context.HasInput("skipIfPaused") && context.Input<bool>("skipIfPaused") && context.Services!.GetService<NpgsqlDataSource>() is { } database)
        {
            return PausedOrDoneAsync(database, store.Key, context.CancellationToken);
        }

        return ValueTask.FromResult(ActivityResult.Done);
    }

    private static async ValueTask<ActivityResult> PausedOrDoneAsync(NpgsqlDataSource database, string store, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ShopifyStorePauses.ReasonAsync(connection, store) is null ? ActivityResult.Done : ActivityResult.Outcome("Paused");
    }
}
