using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce;

/// <summary><c>Connectors:WooCommerce</c>: the WooCommerce stores this host serves.</summary>
public sealed class WooCommerceOptions
{
    public const string Section = "Connectors:WooCommerce";

    [ValidateEnumeratedItems]
    public List<WooCommerceStoreOptions> Stores { get; init; } = [];
}

/// <summary>One WooCommerce store; its <see cref="Name"/> is the <c>{store}</c> in <c>/webhooks/woocommerce/{store}</c>.</summary>
public sealed class WooCommerceStoreOptions
{
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "Name must be a URL segment: letters, digits, '-' or '_'.")]
    public string Name { get; init; } = "";

    /// <summary>The site URL, e.g. <c>https://shop.example.com</c>.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The secret entered on the store's webhooks; it signs every delivery.</summary>
    [Required]
    public string WebhookSecret { get; init; } = "";
}

[OptionsValidator]
internal sealed partial class WooCommerceOptionsValidator : IValidateOptions<WooCommerceOptions>;
