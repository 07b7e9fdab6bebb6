using System.Text.Json.Nodes;

namespace Integration.Connectors.WooCommerce.Stores;

/// <summary>A store's ERP settings as the named values a mapping reads (<c>@company</c>, <c>@warehouse</c>, ...).</summary>
internal static class StoreSettings
{
    public static JsonObject ToJson(WooCommerceStoreOptions store)
    {
        var payments = new JsonObject();
        foreach (var (method, account) in store.PaymentAccounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            payments[method] = account;
        }

        return new JsonObject
        {
            ["store"] = store.Key,
            ["company"] = store.Company,
            ["warehouse"] = store.Warehouse,
            ["costCenter"] = store.CostCenter,
            ["priceList"] = store.PriceList,
            ["timeZone"] = store.TimeZone,
            ["syncProducts"] = store.SyncProducts,
            ["guestCustomer"] = store.GuestCustomer,
            ["shippingIncomeAccount"] = store.ShippingIncomeAccount,
            ["feeIncomeAccount"] = store.FeeIncomeAccount,
            ["storeCreditAccount"] = store.StoreCreditAccount,
            ["refundDiscrepancyAccount"] = store.RefundDiscrepancyAccount,
            ["paymentAccounts"] = payments,
            ["defaultPaymentAccount"] = store.DefaultPaymentAccount,
        };
    }
}
