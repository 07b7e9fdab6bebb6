using System.Text.Json.Nodes;
using Integration.Workflows.Activities;

namespace Integration.Host.Inbox;

/// <summary>
/// <c>Inbox.Unfinished</c>: the documents (newest delivery each) of a store's records the host received and has not
/// carried through (<see cref="UnfinishedDeliveries"/>): orders waiting for dispatch, or whose run is still going or
/// stopped at an incident.
/// </summary>
internal sealed class InboxUnfinishedActivity : FlowActivity
{
    private const int DefaultLimit = 1000;

    public override ActivityDescriptor Descriptor { get; } = new(
        "Inbox.Unfinished", "Sync", "Unfinished deliveries",
        [
            new InputDescriptor("source", "String", true, Description: "shopify, woocommerce..."),
            new InputDescriptor("store", "String", true, Description: "The store as its webhooks name it (Shopify: the shop domain)."),
            new InputDescriptor("subject", "String", true, Description: "What the records are, as the webhook source names them: order, product, customer."),
            new InputDescriptor("limit", "Int32", Description: "At most this many records, those last delivered longest ago first (default 1000)."),
        ],
        [
            new OutputDescriptor("documents", "Object", "The newest delivered document of each record not carried through."),
        ],
        ["Done"],
        Description: "Reads the records a store sent that the host has not carried through yet (waiting, running, or at an incident).");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var deliveries = context.Services?.GetService<UnfinishedDeliveries>() ?? throw new InvalidOperationException("Inbox.Unfinished needs the host's inbox.");
        var kind = context.Input<string>("subject");
        if (string.IsNullOrWhiteSpace(kind))
        {
            throw new InvalidOperationException("Inbox.Unfinished: 'subject' is empty.");
        }

        var limit = context.HasInput("limit") ? context.Input<int>("limit") : DefaultLimit;
        var documents = await deliveries.NewestAsync(context.Input<string>("source")!, context.Input<string>("store")!, kind, Math.Max(limit, 1), context.CancellationToken);
        context.SetOutput("documents", new JsonArray([.. documents]));
        return ActivityResult.Done;
    }
}
