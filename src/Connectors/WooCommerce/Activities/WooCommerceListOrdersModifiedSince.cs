using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Orders;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Activities;

/// <summary>
/// <c>WooCommerce.ListOrdersModifiedSince</c>: the orders changed since a watermark, for reconciliation, and the next
/// watermark. WooCommerce's <c>modified_after</c> is exclusive and kept to the second, so the list starts a minute
/// before the watermark: an order saved in the same second is not missed, and one listed twice is the same version
/// (the flows are idempotent on order id and version).
/// </summary>
internal sealed class WooCommerceListOrdersModifiedSince : FlowActivity
{
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    public override ActivityDescriptor Descriptor { get; } = new(
        "WooCommerce.ListOrdersModifiedSince", "WooCommerce", "List orders modified since",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name; the only store when empty."),
            new InputDescriptor("since", "String", true, Description: "ISO 8601 time; orders modified after it (less a minute's overlap) are listed."),
        ],
        [
            new OutputDescriptor("orders", "Object", "Array of orders (REST v3 shape), oldest change first."),
            new OutputDescriptor("watermark", "String", "The latest date_modified_gmt seen (ISO 8601, UTC); pass it as 'since' next time."),
        ],
        ["Done"],
        Description: "Lists WooCommerce orders modified since a time, 100 a page at the store's pace.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orders = context.Services?.GetService<WooCommerceOrders>() ?? throw new InvalidOperationException("WooCommerce.ListOrdersModifiedSince needs the WooCommerce connector's services.");
        var sinceText = context.Input<string>("since");
        if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            throw new InvalidOperationException($"WooCommerce.ListOrdersModifiedSince: 'since' ('{sinceText}') is not a time.");
        }

        var (list, watermark) = await orders.ModifiedSinceAsync(context.Input<string>("store"), since - Overlap, context.CancellationToken);
        context.SetOutput("orders", new JsonArray([.. list]));
        // Never behind the watermark given: the overlap must not move it back.
        var next = watermark > since ? watermark : since;
        context.SetOutput("watermark", next.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        return ActivityResult.Done;
    }
}
