using Integration.Connectors.WooCommerce.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce.Tests.Stores;

public sealed class WooCommerceOptionsTests
{
    private static Dictionary<string, string?> Store(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Stores:0:Name"] = "cairo",
            ["Stores:0:BaseUrl"] = "https://cairo.example.com",
            ["Stores:0:WebhookSecret"] = "hush",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    private static string Failure(Dictionary<string, string?> settings)
    {
        using var services = WooCommerceRuntime.Create(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WooCommerceOptions>>().Value).Message;
    }

    [Fact]
    public void Secrets_can_come_from_environment_variables_named_in_the_settings()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable("WOO_KEY_" + suffix, "ck_from_env");
        Environment.SetEnvironmentVariable("WOO_SECRET_" + suffix, "cs_from_env");
        Environment.SetEnvironmentVariable("WOO_HOOK_" + suffix, "hook_from_env");
        try
        {
            using var services = WooCommerceRuntime.Create(Store(
                ("Stores:0:WebhookSecret", null), ("Stores:0:WebhookSecretVariable", "WOO_HOOK_" + suffix),
                ("Stores:0:ConsumerKeyVariable", "WOO_KEY_" + suffix), ("Stores:0:ConsumerSecretVariable", "WOO_SECRET_" + suffix)));

            var store = services.GetRequiredService<WooCommerceStores>().Get("cairo");

            Assert.Equal("ck_from_env", store.ResolvedConsumerKey);
            Assert.Equal("cs_from_env", store.ResolvedConsumerSecret);
            Assert.Equal("hook_from_env", store.ResolvedWebhookSecret);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WOO_KEY_" + suffix, null);
            Environment.SetEnvironmentVariable("WOO_SECRET_" + suffix, null);
            Environment.SetEnvironmentVariable("WOO_HOOK_" + suffix, null);
        }
    }

    [Fact]
    public void A_secret_variable_that_is_not_set_is_refused_at_start_by_name()
    {
        var message = Failure(Store(("Stores:0:ConsumerSecretVariable", "WOO_NOT_SET_" + Guid.NewGuid().ToString("N"))));

        Assert.Contains("Connectors:WooCommerce:Stores:0:ConsumerSecretVariable: the environment variable 'WOO_NOT_SET_", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_without_a_webhook_secret_is_refused()
    {
        var message = Failure(Store(("Stores:0:WebhookSecret", null)));

        Assert.Contains("Connectors:WooCommerce:Stores:0:WebhookSecret: must be set", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://cairo.example.com", "Basic auth only over https")]
    [InlineData("shop.example.com", "not an absolute https URL")]
    public void A_base_url_that_would_leak_the_key_or_is_not_a_url_is_refused(string url, string reason)
    {
        Assert.Contains(reason, Failure(Store(("Stores:0:BaseUrl", url))), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_is_allowed_on_loopback_for_simulators_and_two_stores_need_two_names()
    {
        using var services = WooCommerceRuntime.Create(Store(("Stores:0:BaseUrl", "http://127.0.0.1:8080")));
        Assert.Single(services.GetRequiredService<IOptions<WooCommerceOptions>>().Value.Stores);

        var message = Failure(Store(("Stores:1:Name", "CAIRO"), ("Stores:1:WebhookSecret", "x")));
        Assert.Contains("'CAIRO' names another store too", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_store_names_the_configured_ones()
    {
        using var services = WooCommerceRuntime.Create(Store());

        var error = Assert.Throws<UnknownWooCommerceStoreException>(() => services.GetRequiredService<WooCommerceStores>().Get("alex"));

        Assert.Equal("Unknown WooCommerce store 'alex': configured are cairo.", error.Message);
    }
}
