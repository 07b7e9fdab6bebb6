namespace Integration.Simulators.WooCommerce;

/// <summary>How the simulated WooCommerce store looks and behaves.</summary>
public sealed class WooCommerceSimulatorOptions
{
    /// <summary>The site URL the store says it is (<c>X-WC-Webhook-Source</c>, <c>system_status</c>).</summary>
    public string SiteUrl { get; set; } = "https://shop.example.com";

    /// <summary>The REST API key the store accepts (Basic auth); any other answers 401.</summary>
    public string ConsumerKey { get; set; } = "ck_simulator";

    public string ConsumerSecret { get; set; } = "cs_simulator";

    public string Currency { get; set; } = "EGP";

    public string Version { get; set; } = "9.4.0";

    /// <summary>Objects a batch request may carry (<c>woocommerce_rest_batch_items_limit</c>); more is a 413.</summary>
    public int BatchLimit { get; set; } = 100;

    /// <summary>Failed deliveries in a row after which a webhook is disabled (<c>woocommerce_max_webhook_delivery_failures</c>).</summary>
    public int MaxDeliveryFailures { get; set; } = 5;

    /// <summary>How long each API request takes (a slow WordPress host); zero for none.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>The site's time zone (WordPress's timezone_string): the local <c>date_on_sale_*</c> are in it.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Store time; tests may pass a fake one.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
