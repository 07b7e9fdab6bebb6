using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.GetOrder</c>: reads one order from the store, in the webhook shape with each line's <c>sold_quantity</c>;
/// <c>NotFound</c> when the store has none (the <c>fallback</c> order then, with its sold quantities, when given).
/// </summary>
internal sealed class ShopifyGetOrder : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.GetOrder", "Shopify", "Get order",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("orderId", "String", true, Description: "The order's numeric id or gid://shopify/Order/N."),
            new InputDescriptor("fallback", "Object", false, Description: "The order as a webhook carried it: the output when the store no longer has the order."),
        ],
        [new OutputDescriptor("order", "Object", "The order in the REST/webhook shape (snake_case, exact numeric ids), each line with its sold_quantity (current_quantity plus the units refunds took back).")],
        ["Done", "NotFound"],
        Description: "Reads a Shopify order again (the current truth, e.g. after an out-of-order webhook).");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orders = context.Services?.GetService<ShopifyOrders>() ?? throw new InvalidOperationException("Shopify.GetOrder needs the Shopify connector's services.");
        var orderId = context.Input<string>("orderId");
        if (string.IsNullOrWhiteSpace(orderId))
        {
            throw new InvalidOperationException("Shopify.GetOrder: 'orderId' is empty.");
        }

        var order = await orders.GetAsync(context.Input<string>("store"), orderId, context.CancellationToken);
        if (order is not null)
        {
            context.SetOutput("order", order);
            return ActivityResult.Done;
        }

        // A copy, so adding the sold quantities never changes a value the input's expression handed over by reference.
        context.SetOutput("order", context.JsonInput("fallback")?.DeepClone() is JsonObject fallback ? SoldQuantities.Add(fallback) : null);
        return ActivityResult.Outcome("NotFound");
    }
}
