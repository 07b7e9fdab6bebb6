using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Webhooks;

namespace Integration.Host.Inbox;

/// <summary>
/// <c>Inbox.Enqueue</c>: stores a document in the inbox as if its store had delivered it (reconciliation, replay),
/// so it goes down the same path as the store's webhooks. The delivery key makes it once: the same key again is a
/// duplicate and changes nothing.
/// </summary>
internal sealed class InboxEnqueueActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Inbox.Enqueue", "Sync", "Enqueue delivery",
        [
            new InputDescriptor("source", "String", true, Description: "shopify, woocommerce..."),
            new InputDescriptor("store", "String", true, Description: "The store as its webhooks name it (Shopify: the shop domain)."),
            new InputDescriptor("topic", "String", true, Description: "e.g. orders/updated"),
            new InputDescriptor("payload", "Object", true, "json-editor"),
            new InputDescriptor("deliveryKey", "String", true, Description: "What makes it once, e.g. reconcile:ORDER:UPDATED_AT."),
        ],
        [new OutputDescriptor("inboxId", "Int64"), new OutputDescriptor("duplicate", "Boolean")],
        ["Done"],
        Description: "Feeds a document into the inbox, down the same path as the store's webhooks.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var inbox = context.Services?.GetService<InboxWriter>() ?? throw new InvalidOperationException("Inbox.Enqueue needs the host's inbox.");
        var payload = context.Input<JsonNode>("payload") ?? throw new InvalidOperationException("Inbox.Enqueue: 'payload' is empty.");
        var key = context.Input<string>("deliveryKey")!;
        var delivery = new WebhookDelivery(context.Input<string>("store")!, context.Input<string>("topic")!, key, key, null, context.Time.GetUtcNow(), null);
        var headers = new Dictionary<string, string> { ["X-Integration-Enqueued-By"] = $"run {context.State.InstanceId}, activity {context.Node.Id}" };
        var (id, duplicate) = await inbox.AddAsync(context.Input<string>("source")!, delivery, headers, Encoding.UTF8.GetBytes(payload.ToJsonString()), null, context.CancellationToken);
        context.SetOutput("inboxId", id);
        context.SetOutput("duplicate", duplicate);
        return ActivityResult.Done;
    }
}
