using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Activities;

/// <summary><c>Shopify.ListOrdersUpdatedSince</c>: the orders changed since a watermark, for reconciliation, and the next watermark.</summary>
internal sealed class ShopifyListOrdersUpdatedSince : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Shopify.ListOrdersUpdatedSince", "Shopify", "List orders updated since",
        [
            new InputDescriptor("store", "String", false, Description: "The store's Name or shop domain; the only store when empty."),
            new InputDescriptor("since", "String", true, Description: "ISO 8601 time; orders updated at or after it are listed."),
        ],
        [
            new OutputDescriptor("orders", "Object", "Array of orders in the REST/webhook shape, oldest update first."),
            new OutputDescriptor("watermark", "String", "The latest updated_at seen (ISO 8601); pass it as 'since' next time."),
        ],
        ["Done"],
        Description: "Lists Shopify orders updated since a time, page by page within the API's cost limits.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var orders = context.Services?.GetService<ShopifyOrders>() ?? throw new InvalidOperationException("Shopify.ListOrdersUpdatedSince needs the Shopify connector's services.");
        var sinceText = context.Input<string>("since");
        if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            throw new InvalidOperationException($"Shopify.ListOrdersUpdatedSince: 'since' ('{sinceText}') is not a time.");
        }

        var (list, watermark) = await orders.UpdatedSinceAsync(context.Input<string>("store"), since, context.CancellationToken);
        context.SetOutput("orders", new JsonArray([.. list]));
        context.SetOutput("watermark", watermark.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        return ActivityResult.Done;
    }
}
