using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce.Stores;

/// <summary>
/// What the attributes cannot say about the stores: unique names, a reachable API root over HTTPS (Basic auth sends the
/// key in clear otherwise; plain http is allowed for loopback simulators only), a webhook secret, and secrets named by
/// environment variables that are set.
/// </summary>
internal sealed class WooCommerceStoreRules : IValidateOptions<WooCommerceOptions>
{
    public ValidateOptionsResult Validate(string? name, WooCommerceOptions options)
    {
        var failures = new List<string>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Stores.Count; i++)
        {
            var store = options.Stores[i];
            var at = $"{WooCommerceOptions.Section}:Stores:{i}";
            if (string.IsNullOrWhiteSpace(store.Name))
            {
                continue; // [Required] reports it.
            }

            if (!keys.Add(store.Key))
            {
                failures.Add($"{at}:Name: '{store.Key}' names another store too; each store needs its own Name.");
            }

            if (!string.IsNullOrWhiteSpace(store.BaseUrl))
            {
                if (!Uri.TryCreate(store.BaseUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    failures.Add($"{at}:BaseUrl: '{store.BaseUrl}' is not an absolute https URL.");
                }
                else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
                {
                    failures.Add($"{at}:BaseUrl: '{store.BaseUrl}' is plain http: WooCommerce accepts Basic auth only over https (use https://).");
                }
            }

            Secret(failures, at, "WebhookSecret", store.WebhookSecret, store.WebhookSecretVariable, required: true);
            Secret(failures, at, "ConsumerKey", store.ConsumerKey, store.ConsumerKeyVariable, required: false);
            Secret(failures, at, "ConsumerSecret", store.ConsumerSecret, store.ConsumerSecretVariable, required: false);
            Require(failures, $"{at}:Company", store.Company);
            Require(failures, $"{at}:Warehouse", store.Warehouse);
            Require(failures, $"{at}:ShippingIncomeAccount", store.ShippingIncomeAccount);
            Require(failures, $"{at}:FeeIncomeAccount", store.FeeIncomeAccount);
            Require(failures, $"{at}:StoreCreditAccount", store.StoreCreditAccount);
            Require(failures, $"{at}:RefundDiscrepancyAccount", store.RefundDiscrepancyAccount);
            Require(failures, $"{at}:DefaultPaymentAccount", store.DefaultPaymentAccount);
            if (!string.IsNullOrWhiteSpace(store.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(store.TimeZone.Trim(), out _))
            {
                failures.Add($"{at}:TimeZone: '{store.TimeZone}' is not a known time zone (use the IANA id WordPress shows, e.g. Africa/Cairo).");
            }

            foreach (var (method, account) in store.PaymentAccounts)
            {
                Require(failures, $"{at}:PaymentAccounts:{method}", account);
            }
        }

        if (!string.IsNullOrWhiteSpace(options.WebhookUrl) && !Uri.TryCreate(options.WebhookUrl.Trim(), UriKind.Absolute, out _))
        {
            failures.Add($"{WooCommerceOptions.Section}:WebhookUrl: '{options.WebhookUrl}' is not an absolute URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Secret(List<string> failures, string at, string setting, string? value, string? variable, bool required)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(variable))
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable.Trim())))
            {
                failures.Add($"{at}:{setting}Variable: the environment variable '{variable.Trim()}' is not set.");
            }
        }
        else if (required)
        {
            failures.Add($"{at}:{setting}: must be set (or {setting}Variable naming the environment variable that holds it).");
        }
    }

    private static void Require(List<string> failures, string setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting}: must not be empty.");
        }
    }
}
