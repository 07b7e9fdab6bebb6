using Integration.Connectors.Eta;
using Integration.Connectors.Shopify;
using Microsoft.Extensions.Options;

namespace Integration.Host.Connectors;

/// <summary>
/// The accounts a Shopify store books lines without SKU to, as its ETA seller must know them: a sold gift card goes to
/// the store's <c>GiftCardAccount</c>, which the seller leaves off the receipt (<c>PrepaidAccounts</c>: a liability, not
/// a sale, until redeemed); a custom item or tip goes to its <c>CustomItemIncomeAccount</c>, which the seller codes by
/// <c>ChargeCodes</c> (else it is reported with the shipping code). Set apart, each setting alone is valid and the
/// receipts say the wrong thing; so the host refuses to start.
/// </summary>
internal sealed class SellerStoreAccountsRule(IOptions<ShopifyOptions> shopify) : IValidateOptions<EtaOptions>
{
    public ValidateOptionsResult Validate(string? name, EtaOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Sellers.Count; i++)
        {
            var seller = options.Sellers[i];
            for (var s = 0; s < shopify.Value.Stores.Count; s++)
            {
                var store = shopify.Value.Stores[s];
                if (string.IsNullOrWhiteSpace(store.ShopDomain) || !string.Equals(seller.Store, $"shopify/{store.Key}", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!seller.PrepaidAccounts.Contains(store.GiftCardAccount, StringComparer.Ordinal))
                {
                    failures.Add($"{EtaOptions.Section}:Sellers:{i}:PrepaidAccounts ({string.Join(", ", seller.PrepaidAccounts)}) must include "
                        + $"{ShopifyOptions.Section}:Stores:{s}:GiftCardAccount ('{store.GiftCardAccount}') of the store it issues for ('{seller.Store}'): "
                        + "else gift cards sold are reported to the ETA as sales.");
                }

                if (!seller.ChargeCodes.ContainsKey(store.CustomItemIncomeAccount))
                {
                    failures.Add($"{EtaOptions.Section}:Sellers:{i}:ChargeCodes needs an entry for {ShopifyOptions.Section}:Stores:{s}:CustomItemIncomeAccount "
                        + $"('{store.CustomItemIncomeAccount}') of the store it issues for ('{seller.Store}'), the internal code of its custom items and tips "
                        + $"(e.g. {EtaOptions.Section}:Sellers:{i}:ChargeCodes:{store.CustomItemIncomeAccount}=CUSTOM): else they are reported to the ETA with the shipping code.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
