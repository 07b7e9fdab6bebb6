using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// Completes an order read whose connections hold more nodes than one answer carries (the read asks for 10 lines,
/// 3 shipping lines, and 3 transactions, 5 lines and 2 shipping lines per refund, to stay well under Shopify's 1,000
/// points a query): the rest is read page by page after the cursor the answer ended on, so a wholesale order of 300
/// lines is invoiced for 300, never silently for the first page.
/// </summary>
internal static class OrderConnections
{
    // 50 lines of 17 points each: 853 points a page, under Shopify's 1,000 a query.
    private const int PageSize = 50;

    public static async Task CompleteAsync(ShopifyAdminClient client, JsonObject order, CancellationToken cancellationToken)
    {
        if (order["id"]?.GetValue<string>() is not { } orderId)
        {
            return;
        }

        await RestAsync(client, order, "lineItems", "OrderLineItems", OrderQueries.MoreLineItems, "order.lineItems", orderId, cancellationToken);
        await RestAsync(client, order, "shippingLines", "OrderShippingLines", OrderQueries.MoreShippingLines, "order.shippingLines", orderId, cancellationToken);
        // 20 fulfillment orders of 25 points a page (502), then 50 lines of 2 a page (103) for each one with more than 10.
        await RestAsync(client, order, "fulfillmentOrders", "OrderFulfillmentOrders", OrderQueries.MoreFulfillmentOrders, "order.fulfillmentOrders", orderId, cancellationToken, pageSize: 20);
        foreach (var fulfillmentOrder in (order["fulfillmentOrders"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (fulfillmentOrder["id"]?.GetValue<string>() is { } fulfillmentOrderId)
            {
                await RestAsync(client, fulfillmentOrder, "lineItems", "FulfillmentOrderLineItems", OrderQueries.MoreFulfillmentOrderLineItems, "fulfillmentOrder.lineItems", fulfillmentOrderId, cancellationToken);
            }
        }

        foreach (var refund in (order["refunds"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (refund["id"]?.GetValue<string>() is { } refundId)
            {
                // A refund paid back over several tenders (gift cards, split payments) has more transactions than the first page.
                await RestAsync(client, refund, "transactions", "RefundTransactions", OrderQueries.MoreRefundTransactions, "refund.transactions", refundId, cancellationToken);
                await RestAsync(client, refund, "refundLineItems", "RefundLineItems", OrderQueries.MoreRefundLineItems, "refund.refundLineItems", refundId, cancellationToken);
                await RestAsync(client, refund, "refundShippingLines", "RefundShippingLines", OrderQueries.MoreRefundShippingLines, "refund.refundShippingLines", refundId, cancellationToken);
            }
        }
    }

    private static async Task RestAsync(ShopifyAdminClient client, JsonObject owner, string connection, string operation, string query, string path, string id, CancellationToken cancellationToken, int pageSize = PageSize)
    {
        if (owner[connection] is not JsonObject found || found["pageInfo"] is not JsonObject info || info["hasNextPage"]?.GetValue<bool>() != true)
        {
            return;
        }

        var cursor = info["endCursor"]?.GetValue<string>()
            ?? throw new ShopifyException(client.Store, operation, $"{id} has more {connection} than one answer holds and no cursor to read the rest.");
        if (found["nodes"] is not JsonArray nodes)
        {
            found["nodes"] = nodes = [];
        }

        await foreach (var node in client.PagesAsync(operation, query, path, new JsonObject { ["id"] = id }, pageSize, cursor, cancellationToken))
        {
            nodes.Add(node.DeepClone());
        }

        info["hasNextPage"] = false;
        info["endCursor"] = null;
    }
}
