using System.Text.RegularExpressions;
using Integration.Connectors.Shopify.Client;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify.Stores;

/// <summary>What the attributes cannot say about the stores: unique keys, URLs, location ids, API version format.</summary>
internal sealed partial class ShopifyStoreRules : IValidateOptions<ShopifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopifyOptions options)
    {
        var failures = new List<string>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Stores.Count; i++)
        {
            var store = options.Stores[i];
            var at = $"{ShopifyOptions.Section}:Stores:{i}";
            if (string.IsNullOrWhiteSpace(store.ShopDomain))
            {
                continue; // [Required] reports it.
            }

            if (!keys.Add(store.Key))
            {
                failures.Add($"{at}:Name: '{store.Key}' names another store too; each store needs its own Name.");
            }

            if (!string.IsNullOrWhiteSpace(store.AdminUrl)
                && (!Uri.TryCreate(store.AdminUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            {
                failures.Add($"{at}:AdminUrl: '{store.AdminUrl}' is not an absolute http(s) URL.");
            }

            if (!ApiVersion().IsMatch(store.ApiVersion ?? ""))
            {
                failures.Add($"{at}:ApiVersion: '{store.ApiVersion}' is not an Admin API version like 2026-04.");
            }

            if (!string.IsNullOrWhiteSpace(store.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(store.TimeZone.Trim(), out _))
            {
                failures.Add($"{at}:TimeZone: '{store.TimeZone}' is not a known time zone (use the IANA id of the shop's time zone, e.g. Africa/Cairo).");
            }

            Require(failures, $"{at}:Company", store.Company);
            Require(failures, $"{at}:Warehouse", store.Warehouse);
            Require(failures, $"{at}:ShippingIncomeAccount", store.ShippingIncomeAccount);
            Require(failures, $"{at}:CustomItemIncomeAccount", store.CustomItemIncomeAccount);
            Require(failures, $"{at}:RefundDiscrepancyAccount", store.RefundDiscrepancyAccount);
            Require(failures, $"{at}:DefaultPaymentAccount", store.DefaultPaymentAccount);
            Require(failures, $"{at}:GiftCardAccount", store.GiftCardAccount);
            var locations = new HashSet<long>();
            for (var l = 0; l < store.Locations.Count; l++)
            {
                var location = store.Locations[l];
                if (!ShopifyGid.TryParse(location.LocationId, "Location", out var id))
                {
                    failures.Add($"{at}:Locations:{l}:LocationId: '{location.LocationId}' is neither a number nor gid://shopify/Location/N.");
                }
                else if (!locations.Add(id))
                {
                    failures.Add($"{at}:Locations:{l}:LocationId: location {id} is listed twice.");
                }

                Require(failures, $"{at}:Locations:{l}:Warehouse", location.Warehouse);
            }

            if (store.Locations.Count > 0 && !string.IsNullOrWhiteSpace(store.Warehouse) && store.LocationOf(store.Warehouse) is null)
            {
                failures.Add($"{at}:Warehouse: '{store.Warehouse}' is the warehouse of none of {at}:Locations. The store's orders are booked out of it, "
                    + "so the stock its locations show would never go down with a sale, and the nightly upload would put sold units back on sale.");
            }

            foreach (var (gateway, account) in store.PaymentAccounts)
            {
                Require(failures, $"{at}:PaymentAccounts:{gateway}", account);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting}: must not be empty.");
        }
    }

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$")]
    private static partial Regex ApiVersion();
}
