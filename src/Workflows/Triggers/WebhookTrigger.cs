using Integration.Workflows.Activities;

namespace Integration.Workflows.Triggers;

/// <summary>
/// Starts a flow for each stored webhook delivery of a source (<c>Shopify.WebhookReceived</c>,
/// <c>WooCommerce.WebhookReceived</c>) whose topic matches <c>topic</c> (<c>*</c> for any) and, if set, whose store
/// matches <c>store</c>. Its outputs are the parsed payload, topic, store and the inbox id of the delivery. With
/// <c>onlyNewerVersions</c>, the inbox dispatcher does not start the flow for a delivery whose record a finished run
/// of the flow already read again (<see cref="InboxDispatcher"/>). With <c>filter</c> (<see cref="TriggerFilter"/>),
/// only deliveries that match start a run; the others leave no run behind.
/// </summary>
public abstract class WebhookTrigger(string source, string typeName) : FlowActivity
{
    /// <summary>The inbox <c>source</c> it listens to, e.g. <c>shopify</c>.</summary>
    public string Source { get; } = source;

    public override ActivityDescriptor Descriptor { get; } = new(typeName, "Triggers", "Webhook received",
        [new InputDescriptor("topic", "String", true, Description: "The store's topic, e.g. orders/create, or * for any."),
         new InputDescriptor("store", "String", Description: "Only deliveries of this store (shop domain or store name)."),
         new InputDescriptor("onlyNewerVersions", "Boolean", UiHint: "checkbox", Description: "Skip a delivery whose record (an order) a finished run of this flow already read again: a run earlier in the same inbox batch, or one for a later version (updated_at). For flows that read the record again from the store rather than trust the payload."),
         new InputDescriptor("filter", "Object", UiHint: "json-editor", Description:
            "Only deliveries that match start a run: an object of payload field paths and the value (or list of values) each must have ($topic, $store for the envelope), or a JavaScript condition with getInput('payload').")],
        [new OutputDescriptor("payload", "Object"), new OutputDescriptor("topic", "String"), new OutputDescriptor("store", "String"), new OutputDescriptor("inboxId", "Int64")],
        ["Done"], IsTrigger: true);

    public override IEnumerable<(string Input, string Message)> Validate(Model.FlowActivityNode node) =>
        TriggerFilter.Problems(node.Property("filter"), TriggerFilter.WebhookEnvelope).Select(p => (p.Path.Length == 0 ? "filter" : "filter." + p.Path, "filter: " + p.Message));

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        foreach (var name in new[] { "payload", "topic", "store", "inboxId" })
        {
            context.SetOutput(name, context.State.Input.GetValueOrDefault(name));
        }

        return ValueTask.FromResult(ActivityResult.Done);
    }
}
