using Integration.Connectors.Shopify.Fulfillments;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary>
/// <c>Shopify.CreateFulfillment</c>: marks an order shipped with its tracking, once per tracking number; a number on an
/// order shipped whole already is another parcel of it, added to its newest fulfillment's tracking.
/// </summary>
internal sealed class ShopifyCreateFulfillment : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.CreateFulfillment", "Shopify", "Create fulfillment",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("orderId", "String", true, Description: "The order's numeric id or gid://shopify/Order/N."),
            new InputDescriptor("carrier", "String", false, Description: "The carrier, as Shopify's tracking company (e.g. Aramex, DHL Express)."),
            new InputDescriptor("trackingNumber", "String", true, Description: "The tracking number; an order that already has a fulfillment with it is left as it is."),
            new InputDescriptor("trackingUrl", "String", false, Description: "The tracking page; Shopify builds one for carriers it knows when empty."),
            new InputDescriptor("notifyCustomer", "Boolean", false, Description: "Send Shopify's shipping confirmation to the customer (default true)."),
        ],
        [
            new OutputDescriptor("fulfillmentId", "String", "The fulfillment's gid (the first, when the order ships from several locations); null when nothing was left to ship."),
            new OutputDescriptor("existed", "Boolean", "True when the order already had a fulfillment with this tracking number (nothing was sent)."),
            new OutputDescriptor("parcelAdded", "Boolean", "True when the order had shipped whole and the number was added to its newest fulfillment's tracking as another parcel."),
        ],
        ["Done", "NotFound", "NothingToFulfill"],
        Description: "Fulfills everything still open on a Shopify order (fulfillment orders API) with carrier and tracking number.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var fulfillments = context.Services?.GetService<ShopifyFulfillments>() ?? throw new InvalidOperationException("Shopify.CreateFulfillment needs the Shopify connector's services.");
        var orderId = context.Input<string>("orderId");
        var number = context.Input<string>("trackingNumber");
        if (string.IsNullOrWhiteSpace(orderId) || string.IsNullOrWhiteSpace(number))
        {
            throw new InvalidOperationException("Shopify.CreateFulfillment: 'orderId' and 'trackingNumber' must be set.");
        }

        var tracking = new ShipmentTracking(Blank(context.Input<string>("carrier")), number, Blank(context.Input<string>("trackingUrl")));
        var shipment = await fulfillments.CreateAsync(context.Input<string>("store"), orderId, tracking, ActivityJson.Flag(context, "notifyCustomer", true), context.CancellationToken);
        context.SetOutput("fulfillmentId", shipment?.FulfillmentIds.Count > 0 ? shipment.FulfillmentIds[0] : null);
        context.SetOutput("existed", shipment?.Existed ?? false);
        context.SetOutput("parcelAdded", shipment?.ParcelAdded ?? false);
        return shipment is null ? ActivityResult.Outcome("NotFound")
            : shipment.FulfillmentIds.Count == 0 ? ActivityResult.Outcome("NothingToFulfill")
            : ActivityResult.Done;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
