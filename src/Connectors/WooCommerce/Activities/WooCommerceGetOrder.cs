using Integration.Connectors.WooCommerce.Orders;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.GetOrder</c>: reads one order from the store as it is now. A webhook's payload is built when it is
/// delivered, not when the change happened, so it can be newer or older than the event: flows read the order again.
/// </summary>
internal sealed class WooCommerceGetOrder : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.GetOrder", "WooCommerce", "Get order",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("orderId", "String", true, Description: "The order's id."),
        ],
        [new OutputDescriptor("order", "Object", "The order (REST v3 shape, as the webhooks carry it).")],
        ["Done", "NotFound"],
        Description: "Reads a WooCommerce order again (the current truth); NotFound when the store no longer has it.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orders = context.Services?.GetService<WooCommerceOrders>() ?? throw new InvalidOperationException("WooCommerce.GetOrder needs the WooCommerce connector's services.");
        var order = await orders.GetAsync(context.Input<string>("store"), ActivityIds.Read(context, "orderId"), context.CancellationToken);
        context.SetOutput("order", order);
        return order is null ? ActivityResult.Outcome("NotFound") : ActivityResult.Done;
    }
}
