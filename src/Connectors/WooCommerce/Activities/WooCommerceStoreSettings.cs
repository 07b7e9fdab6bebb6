using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.StoreSettings</c>: the ERP settings of a store (company, warehouse, accounts), shaped as the
/// <c>values</c> of <c>Mappings.Apply</c>. An unknown store faults the run with the stores that are configured.
/// </summary>
internal sealed class WooCommerceStoreSettings : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.StoreSettings", "WooCommerce", "Store settings",
        [new InputDescriptor("store", "String", false, Description: "The store's Name (the {store} of its webhook URL); the only store when empty.")],
        [new OutputDescriptor("settings", "Object", "store, company, warehouse, costCenter, priceList, timeZone, syncProducts, guestCustomer, shippingIncomeAccount, feeIncomeAccount, storeCreditAccount, refundDiscrepancyAccount, paymentAccounts, defaultPaymentAccount.")],
        ["Done", "NoStore"],
        Description: "Reads a WooCommerce store's ERP settings for mappings and ERP activities; NoStore when the host serves no WooCommerce store.");

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var stores = context.Services?.GetService<WooCommerceStores>() ?? throw new InvalidOperationException("WooCommerce.StoreSettings needs the WooCommerce connector's services.");
        var named = context.Input<string>("store");
        if (string.IsNullOrWhiteSpace(named) && stores.Count == 0)
        {
            return ValueTask.FromResult(ActivityResult.Outcome("NoStore"));
        }

        context.SetOutput("settings", StoreSettings.ToJson(stores.Get(named)));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
