using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Connect;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.EnsureWebhooks</c>: WooCommerce never retries a failed delivery and disables a webhook after about five
/// failures in a row, silently. This creates the webhooks the flows need that are missing and re-enables disabled ones.
/// </summary>
internal sealed class WooCommerceEnsureWebhooks : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.EnsureWebhooks", "WooCommerce", "Ensure webhooks",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("webhookUrl", "String", false, Description: "This host's public URL of /webhooks/woocommerce (without the store); default Connectors:WooCommerce:WebhookUrl."),
        ],
        [
            new OutputDescriptor("created", "Object", "The topics whose webhook was created now."),
            new OutputDescriptor("reactivated", "Object", "The topics whose disabled webhook was enabled again."),
            new OutputDescriptor("present", "Object", "The topics whose webhook was active."),
        ],
        ["Done", "NotConfigured"],
        Description: "Creates missing and re-enables disabled WooCommerce webhooks; NotConfigured when no webhook URL is set.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var services = context.Services ?? throw new InvalidOperationException("WooCommerce.EnsureWebhooks needs the WooCommerce connector's services.");
        var store = context.Input<string>("store");
        var given = context.Input<string>("webhookUrl");
        var stores = services.GetRequiredService<WooCommerceStores>();
        if (stores.DeliveryUrl(stores.Get(store).Key, string.IsNullOrWhiteSpace(given) ? null : given) is null)
        {
            return ActivityResult.Outcome("NotConfigured");
        }

        var result = await services.GetRequiredService<WooCommerceConnection>().ConnectAsync(store, string.IsNullOrWhiteSpace(given) ? null : new Uri(given), context.CancellationToken);
        context.SetOutput("created", new JsonArray([.. result.Created.Select(t => JsonValue.Create(t))]));
        context.SetOutput("reactivated", new JsonArray([.. result.Reactivated.Select(t => JsonValue.Create(t))]));
        context.SetOutput("present", new JsonArray([.. result.Present.Select(t => JsonValue.Create(t))]));
        return ActivityResult.Done;
    }
}
