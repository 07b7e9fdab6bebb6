using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Connect;
using Integration.Workflows.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.EnsureWebhooks</c>: subscribes again whatever webhook topic the flows need that the store no longer has.
/// Shopify deletes a subscription after 8 failed deliveries (4 hours of an unreachable host), silently; this puts it
/// back, and the reconciliation fetches what was missed meanwhile.
/// </summary>
internal sealed class ShopifyEnsureWebhooks : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.EnsureWebhooks", "Shopify", "Ensure webhooks",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("webhookUrl", "String", false, Description: "This host's public URL of POST /webhooks/shopify; default Connectors:Shopify:WebhookUrl."),
        ],
        [
            new OutputDescriptor("created", "Object", "The topics subscribed again now."),
            new OutputDescriptor("present", "Object", "The topics that were still subscribed."),
        ],
        ["Done", "NotConfigured"],
        Description: "Re-subscribes the webhook topics the flows need that the store dropped; NotConfigured when no webhook URL is set.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var services = context.Services ?? throw new InvalidOperationException("Shopify.EnsureWebhooks needs the Shopify connector's services.");
        var url = context.Input<string>("webhookUrl") is { Length: > 0 } given ? given : services.GetService<IConfiguration>()?["Connectors:Shopify:WebhookUrl"];
        if (string.IsNullOrWhiteSpace(url))
        {
            return ActivityResult.Outcome("NotConfigured");
        }

        var result = await services.GetRequiredService<ShopifyConnection>().ConnectAsync(context.Input<string>("store"), new Uri(url), context.CancellationToken);
        context.SetOutput("created", new JsonArray([.. result.Subscribed.Select(t => JsonValue.Create(t))]));
        context.SetOutput("present", new JsonArray([.. result.AlreadySubscribed.Select(t => JsonValue.Create(t))]));
        return ActivityResult.Done;
    }
}
