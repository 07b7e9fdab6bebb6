namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// The GraphQL text of the order reads: the fields the sales-order mapping needs, in one fragment. Shopify charges a
/// connection 2 plus <c>first</c> times every object in one node up front and refuses a query above 1,000 points: a line
/// item as selected here costs 17 (the line, its variant, product, two money bags of 3, one allocation and one tax line
/// of 4), a shipping line 15. So the order read asks for 10 lines, 3 shipping lines, and per refund 3 transactions,
/// 5 lines and 2 shipping lines (about 280 points, 3 orders a page for the reconciliation), and the rest of a longer
/// order comes 50 a page (853 points for lines; <see cref="OrderConnections"/>). A store whose locations stand for several
/// warehouses reads the order's fulfillment orders with it (127 points more: 414).
/// </summary>
internal static class OrderQueries
{
    private const string Money = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";
    private const string Address = "firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone latitude longitude";
    private const string TaxLines = "taxLines { title rate channelLiable priceSet { " + Money + " } }";
    private const string Allocations = "discountAllocations { allocatedAmountSet { " + Money + " } }";
    private const string PageInfo = "pageInfo { hasNextPage endCursor }";

    // A connection's node fields, shared by the order read and the reads of the rest of a long connection.
    private const string LineItemNode = "id sku title name variantTitle vendor quantity currentQuantity requiresShipping taxable isGiftCard "
        + "variant { id } product { id } originalUnitPriceSet { " + Money + " } totalDiscountSet { " + Money + " } " + Allocations + " " + TaxLines;
    private const string ShippingLineNode = "id title code source originalPriceSet { " + Money + " } discountedPriceSet { " + Money + " } " + Allocations + " " + TaxLines;
    private const string RefundLineItemNode = "id quantity restockType lineItem { id } location { id }";
    private const string RefundShippingLineNode = "shippingLine { id }";
    private const string RefundTransactionNode = "kind status gateway amountSet { " + Money + " }";

    public const string Fragment =
        "fragment OrderFields on Order { id legacyResourceId name email phone note tags createdAt updatedAt processedAt cancelledAt cancelReason "
        + "currencyCode presentmentCurrencyCode taxesIncluded test sourceName displayFinancialStatus displayFulfillmentStatus paymentGatewayNames "
        + "totalDiscountsSet { " + Money + " } totalPriceSet { " + Money + " } totalTaxSet { " + Money + " } subtotalPriceSet { " + Money + " } "
        + "totalShippingPriceSet { " + Money + " } currentTotalPriceSet { " + Money + " } transactions { id gateway kind status processedAt amountSet { " + Money + " } } "
        + "refunds { id createdAt processedAt transactions(first: 3) { nodes { " + RefundTransactionNode + " } " + PageInfo + " } "
        + "refundLineItems(first: 5) { nodes { " + RefundLineItemNode + " } " + PageInfo + " } refundShippingLines(first: 2) { nodes { " + RefundShippingLineNode + " } " + PageInfo + " } } customer { id email firstName lastName phone } "
        + "shippingAddress { " + Address + " } billingAddress { " + Address + " } " + TaxLines + " "
        + "lineItems(first: 10) { nodes { " + LineItemNode + " } " + PageInfo + " } "
        + "shippingLines(first: 3) { nodes { " + ShippingLineNode + " } " + PageInfo + " } }";

    // Where Shopify routed each line (the location whose stock it takes): a fulfillment order is one location's share of
    // the order. 25 points a node with its first 10 lines; 5 of them in the order read (127 points).
    private const string FulfillmentOrderLineNode = "totalQuantity lineItem { id }";
    private const string FulfillmentOrderNode = "id status assignedLocation { location { id } } lineItems(first: 10) { nodes { " + FulfillmentOrderLineNode + " } " + PageInfo + " }";

    public const string One = "query Order($id: ID!) { order(id: $id) { ...OrderFields } }\n" + Fragment;

    /// <summary>The order read of a store whose locations stand for several warehouses: <see cref="One"/> and where each line ships from.</summary>
    public const string OneWithLocations = "query OrderWithLocations($id: ID!) { order(id: $id) { ...OrderFields fulfillmentOrders(first: 5) { nodes { "
        + FulfillmentOrderNode + " } " + PageInfo + " } } }\n" + Fragment;

    // Sorted by update time so a watermark can advance page by page; 3 full orders keep a page under the 1000-point query limit.
    public const string UpdatedSince = "query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) { orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) { nodes { ...OrderFields } pageInfo { hasNextPage endCursor } } }\n" + Fragment;

    public const int UpdatedSincePageSize = 3;

    // The rest of a connection longer than the order read's first page (a wholesale order of 300 lines), page by page.
    public const string MoreLineItems = "query OrderLineItems($id: ID!, $first: Int!, $after: String) { order(id: $id) { lineItems(first: $first, after: $after) { nodes { "
        + LineItemNode + " } " + PageInfo + " } } }";

    public const string MoreShippingLines = "query OrderShippingLines($id: ID!, $first: Int!, $after: String) { order(id: $id) { shippingLines(first: $first, after: $after) { nodes { "
        + ShippingLineNode + " } " + PageInfo + " } } }";

    public const string MoreFulfillmentOrders = "query OrderFulfillmentOrders($id: ID!, $first: Int!, $after: String) { order(id: $id) { fulfillmentOrders(first: $first, after: $after) { nodes { "
        + FulfillmentOrderNode + " } " + PageInfo + " } } }";

    public const string MoreFulfillmentOrderLineItems = "query FulfillmentOrderLineItems($id: ID!, $first: Int!, $after: String) { fulfillmentOrder(id: $id) { lineItems(first: $first, after: $after) { nodes { "
        + FulfillmentOrderLineNode + " } " + PageInfo + " } } }";

    public const string MoreRefundLineItems = "query RefundLineItems($id: ID!, $first: Int!, $after: String) { refund(id: $id) { refundLineItems(first: $first, after: $after) { nodes { "
        + RefundLineItemNode + " } " + PageInfo + " } } }";

    public const string MoreRefundTransactions = "query RefundTransactions($id: ID!, $first: Int!, $after: String) { refund(id: $id) { transactions(first: $first, after: $after) { nodes { "
        + RefundTransactionNode + " } " + PageInfo + " } } }";

    public const string MoreRefundShippingLines = "query RefundShippingLines($id: ID!, $first: Int!, $after: String) { refund(id: $id) { refundShippingLines(first: $first, after: $after) { nodes { "
        + RefundShippingLineNode + " } " + PageInfo + " } } }";
}
