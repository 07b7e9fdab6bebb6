using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.StoreSettings</c>: the ERP settings of a store (company, warehouse, accounts, locations), shaped as the
/// <c>values</c> of <c>Mappings.Apply</c>. An unknown store faults the run with the stores that are configured.
/// </summary>
internal sealed class ShopifyStoreSettings : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.StoreSettings", "Shopify", "Store settings",
        [new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain (as in X-Shopify-Shop-Domain); the only store when empty.")],
        [new OutputDescriptor("settings", "Object", "store, shopDomain, company, warehouse, costCenter, priceList, guestCustomer, shippingIncomeAccount, refundDiscrepancyAccount, paymentAccounts, defaultPaymentAccount, locations.")],
        ["Done", "NoStore"],
        Description: "Reads a Shopify store's ERP settings for mappings and ERP activities; NoStore when the host serves no Shopify store (ERP events then end quietly).");

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var stores = context.Services?.GetService<ShopifyStores>() ?? throw new InvalidOperationException("Shopify.StoreSettings needs the Shopify connector's services.");
        if (string.IsNullOrWhiteSpace(context.Input<string>("store")) && stores.Count == 0)
        {
            return ValueTask.FromResult(ActivityResult.Outcome("NoStore"));
        }

        context.SetOutput("settings", StoreSettings.ToJson(stores.Get(context.Input<string>("store"))));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
