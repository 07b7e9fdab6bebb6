using Integration.Connectors.Eta;
using Integration.Connectors.Shopify;
using Microsoft.Extensions.Options;

namespace Integration.Host.Connectors;

/// <summary>
/// A Shopify store books a sold gift card to its <c>GiftCardAccount</c>, and its ETA seller leaves lines of its
/// <c>PrepaidAccounts</c> off the receipt (a gift card is a liability, not a sale, until redeemed). Set apart, each
/// setting alone is valid and the receipts report gift cards as sales; so the host refuses to start.
/// </summary>
internal sealed class SellerGiftCardRule(IOptions<ShopifyOptions> shopify) : IValidateOptions<EtaOptions>
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
                if (!string.IsNullOrWhiteSpace(store.ShopDomain)
                    && string.Equals(seller.Store, $"shopify/{store.Key}", StringComparison.OrdinalIgnoreCase)
                    && !seller.PrepaidAccounts.Contains(store.GiftCardAccount, StringComparer.Ordinal))
                {
                    failures.Add($"{EtaOptions.Section}:Sellers:{i}:PrepaidAccounts ({string.Join(", ", seller.PrepaidAccounts)}) must include "
                        + $"{ShopifyOptions.Section}:Stores:{s}:GiftCardAccount ('{store.GiftCardAccount}') of the store it issues for ('{seller.Store}'): "
                        + "else gift cards sold are reported to the ETA as sales.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
