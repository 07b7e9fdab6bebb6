using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Webhooks;

namespace Integration.Host.Inbox;

/// <summary>
/// <c>Inbox.EnqueueUnseen</c>: the reconciliation's feed. Of the documents a store listed, stores in the inbox those
/// whose version no delivery brought yet (by webhook or an earlier feed), each as a delivery keyed
/// <c>reconcile:ID:VERSION</c>, so they go down the webhooks' path; the rest are counted as seen. One statement per few
/// hundred documents, whatever the listing's size.
/// </summary>
internal sealed class InboxEnqueueUnseenActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Inbox.EnqueueUnseen", "Sync", "Enqueue unseen versions",
        [
            new InputDescriptor("source", "String", true, Description: "shopify, woocommerce..."),
            new InputDescriptor("store", "String", true, Description: "The store as its webhooks name it (Shopify: the shop domain)."),
            new InputDescriptor("topic", "String", true, Description: "The topic they are fed as, e.g. orders/updated"),
            new InputDescriptor("documents", "Object", true, "json-editor", "The listed documents (an array), in the webhooks' shape."),
            new InputDescriptor("subject", "String", true, Description: "What the documents are, as the webhook source names it: order, product, customer."),
            new InputDescriptor("idProperty", "String", Description: "The document's id property; id when empty."),
            new InputDescriptor("versionProperty", "String", Description: "Its modification time: updated_at when empty (WooCommerce: date_modified_gmt)."),
        ],
        [
            new OutputDescriptor("enqueued", "Int32", "Versions no delivery had brought, now in the inbox."),
            new OutputDescriptor("seen", "Int32", "Versions a delivery had already brought (or a later one), left out."),
        ],
        ["Done"],
        Description: "Feeds into the inbox the listed versions the webhooks missed, down the same path as the store's webhooks.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var feed = context.Services?.GetService<InboxFeed>() ?? throw new InvalidOperationException("Inbox.EnqueueUnseen needs the host's inbox.");
        var kind = context.Input<string>("subject");
        if (string.IsNullOrWhiteSpace(kind))
        {
            throw new InvalidOperationException("Inbox.EnqueueUnseen: 'subject' is empty.");
        }

        var idProperty = NonEmpty(context.Input<string>("idProperty")) ?? "id";
        var versionProperty = NonEmpty(context.Input<string>("versionProperty")) ?? "updated_at";
        var documents = context.Input<JsonNode>("documents") switch
        {
            JsonArray array => array,
            null => [],
            _ => throw new InvalidOperationException("Inbox.EnqueueUnseen: 'documents' is not an array."),
        };

        var fed = new List<FedDocument>(documents.Count);
        foreach (var document in documents)
        {
            // A listed document without an id or a readable version cannot be told apart from the others: a store bug to see, not to skip.
            var subject = DeliverySubject.From(document, kind, idProperty, versionProperty)
                ?? throw new InvalidOperationException($"Inbox.EnqueueUnseen: a listed document has no '{idProperty}' or no time in '{versionProperty}'.");
            var key = $"reconcile:{subject.Key[(kind.Length + 1)..]}:{(string?)document![versionProperty]}";
            fed.Add(new FedDocument(key, JsonSerializer.SerializeToUtf8Bytes(document), subject));
        }

        var headers = JsonSerializer.Serialize(new Dictionary<string, string> { ["X-Integration-Enqueued-By"] = $"run {context.State.InstanceId}, activity {context.Node.Id}" });
        var enqueued = await feed.EnqueueUnseenAsync(context.Input<string>("source")!, context.Input<string>("store")!, context.Input<string>("topic")!, fed, headers, context.CancellationToken);
        context.SetOutput("enqueued", enqueued);
        context.SetOutput("seen", fed.Count - enqueued);
        return ActivityResult.Done;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
