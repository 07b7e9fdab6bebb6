using Integration.Connectors.WooCommerce.Orders;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.RecordDelivery</c>: an ERP delivery of a WooCommerce order: a note to the customer with carrier and
/// tracking number (once per tracking number) and a paid order (<c>processing</c>) set to <c>completed</c>.
/// </summary>
internal sealed class WooCommerceRecordDelivery : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.RecordDelivery", "WooCommerce", "Record delivery",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("orderId", "String", true, Description: "The order's id."),
            new InputDescriptor("carrier", "String", false, Description: "The carrier named in the note (e.g. Aramex, Bosta)."),
            new InputDescriptor("trackingNumber", "String", true, Description: "The tracking number; an order that already has a customer note with it gets no second one."),
        ],
        [
            new OutputDescriptor("noteAdded", "Boolean", "A note was added now (false: the order had it already)."),
            new OutputDescriptor("completed", "Boolean", "The order was set to completed now."),
            new OutputDescriptor("status", "String", "The order's status after."),
        ],
        ["Done", "NotFound"],
        Description: "Adds the tracking note for the buyer and completes a paid WooCommerce order; once per tracking number.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var shipments = context.Services?.GetService<WooCommerceShipments>() ?? throw new InvalidOperationException("WooCommerce.RecordDelivery needs the WooCommerce connector's services.");
        var tracking = context.Input<string>("trackingNumber");
        if (string.IsNullOrWhiteSpace(tracking))
        {
            throw new InvalidOperationException("WooCommerce.RecordDelivery: 'trackingNumber' must be set.");
        }

        var shipment = await shipments.RecordAsync(context.Input<string>("store"), ActivityIds.Read(context, "orderId"), context.Input<string>("carrier"), tracking.Trim(), context.CancellationToken);
        if (shipment is null)
        {
            return ActivityResult.Outcome("NotFound");
        }

        context.SetOutput("noteAdded", shipment.NoteAdded);
        context.SetOutput("completed", shipment.Completed);
        context.SetOutput("status", shipment.Status);
        return ActivityResult.Done;
    }
}
