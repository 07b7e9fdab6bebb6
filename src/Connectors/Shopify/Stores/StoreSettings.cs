using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Stores;

/// <summary>A store's ERP settings as the named values a mapping reads (<c>@company</c>, <c>@warehouse</c>, ...).</summary>
internal static class StoreSettings
{
    /// <summary>The gateway name Shopify gives a payment by gift card.</summary>
    public const string GiftCardGateway = "gift_card";

    public static JsonObject ToJson(ShopifyStoreOptions store)
    {
        var payments = new JsonObject();
        foreach (var (gateway, account) in store.PaymentAccounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            payments[gateway] = account;
        }

        // A gift card redeemed is the liability settled, not money in a gateway's account.
        if (!store.PaymentAccounts.ContainsKey(GiftCardGateway))
        {
            payments[GiftCardGateway] = store.GiftCardAccount;
        }

        var locations = new JsonObject();
        foreach (var location in store.Locations)
        {
            locations[ShopifyGid.Parse(location.LocationId, "Location").ToString(CultureInfo.InvariantCulture)] = location.Warehouse;
        }

        return new JsonObject
        {
            ["store"] = store.Key,
            ["shopDomain"] = store.ShopDomain.Trim(),
            ["company"] = store.Company,
            ["warehouse"] = store.Warehouse,
            ["costCenter"] = store.CostCenter,
            ["priceList"] = store.PriceList,
            ["timeZone"] = string.IsNullOrWhiteSpace(store.TimeZone) ? "UTC" : store.TimeZone.Trim(),
            ["guestCustomer"] = store.GuestCustomer,
            ["shippingIncomeAccount"] = store.ShippingIncomeAccount,
            ["customItemIncomeAccount"] = store.CustomItemIncomeAccount,
            ["refundDiscrepancyAccount"] = store.RefundDiscrepancyAccount,
            ["paymentAccounts"] = payments,
            ["defaultPaymentAccount"] = store.DefaultPaymentAccount,
            ["giftCardAccount"] = store.GiftCardAccount,
            ["locations"] = locations,
            ["syncProducts"] = store.SyncProducts,
            ["productSyncDebounce"] = store.ProductSyncDebounce.ToString("c", CultureInfo.InvariantCulture),
        };
    }
}
