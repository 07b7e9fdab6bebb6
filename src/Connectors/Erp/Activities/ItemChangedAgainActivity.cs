using System.Text.Json.Nodes;
using Integration.Erp.Items;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.ItemChangedAgain</c>: whether a product was changed again after the ERP event a run started from. A flow
/// that waits (<c>Elsa.Delay</c>) and then finds a later change leaves the work to that change's run, so a burst of
/// changes ends in one write of the product as it is after the last one (a debounce per product).
/// </summary>
internal sealed class ItemChangedAgainActivity : FlowActivity
{
    private static readonly string[] AnyChange = ["created", "updated", "images", "status"];

    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.ItemChangedAgain", "ERP", "Item changed again",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("sku", "String", true, Description: "The product: a template's or simple item's SKU (its variants' changes count)."),
            new InputDescriptor("after", "Int64", true, Description: "The outbox id of the event the run started from (the trigger's outboxId)."),
            new InputDescriptor("changes", "Object", UiHint: "json-editor", Description: "The kinds of change that count (those that start the same flow); created, updated, images and status when empty."),
        ],
        [new OutputDescriptor("laterEvent", "Int64", "The outbox id of the latest later change.")],
        ["Latest", "ChangedAgain"],
        Description: "Latest when no change of the product came after the given event; ChangedAgain when one did (its run does the work).");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var changes = context.HasInput("changes") && ErpJson.Node(context, "changes") is JsonArray { Count: > 0 } given ? [.. given.Select(c => (string)c!)] : AnyChange;
        var later = await context.Services!.GetRequiredService<ItemCatalogue>().ChangedAgainAsync(
            context.Input<string>("company")!, context.Input<string>("sku")!, context.Input<long>("after"), changes, context.CancellationToken);
        if (later is not { } id)
        {
            return ActivityResult.Outcome("Latest");
        }

        context.SetOutput("laterEvent", id);
        return ActivityResult.Outcome("ChangedAgain");
    }
}
