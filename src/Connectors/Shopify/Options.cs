using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify;

/// <summary><c>Connectors:Shopify</c>: the Shopify stores this host serves.</summary>
public sealed class ShopifyOptions
{
    public const string Section = "Connectors:Shopify";

    [ValidateEnumeratedItems]
    public List<ShopifyStoreOptions> Stores { get; init; } = [];
}

/// <summary>One Shopify store. Secrets come from environment variables, e.g. <c>Connectors__Shopify__Stores__0__AppSecret</c>.</summary>
public sealed class ShopifyStoreOptions
{
    /// <summary>The store's <c>*.myshopify.com</c> domain, as Shopify sends it in <c>X-Shopify-Shop-Domain</c>.</summary>
    [Required]
    public string ShopDomain { get; init; } = "";

    /// <summary>The custom app's client secret; it signs every webhook delivery.</summary>
    [Required]
    public string AppSecret { get; init; } = "";

    /// <summary>Secrets still accepted after a rotation (Shopify may sign with the old one for up to an hour).</summary>
    public List<string> PreviousAppSecrets { get; init; } = [];

    /// <summary>Admin API access token (used by the connector's client).</summary>
    public string? AccessToken { get; init; }

    /// <summary>Pinned Admin API version.</summary>
    public string ApiVersion { get; init; } = "2026-04";
}

[OptionsValidator]
internal sealed partial class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>;
