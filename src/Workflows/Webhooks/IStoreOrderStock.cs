using System.Text.Json.Nodes;

namespace Integration.Workflows.Webhooks;

/// <summary>
/// A storefront's reading of its own orders as its webhooks deliver them: which of its stores sell for an ERP company,
/// and the stock an order took from the store (a store lowers its stock when it takes an order, the ERP only when the
/// order is booked). The stock pushes hold those units until the ERP books the order.
/// </summary>
public interface IStoreOrderStock
{
    /// <summary>The inbox <c>source</c> of the storefront's deliveries and the system of the ERP documents it makes, e.g. <c>shopify</c>.</summary>
    string Source { get; }

    /// <summary>The storefront's stores whose orders are booked in <paramref name="company"/>.</summary>
    IReadOnlyList<OrderStockStore> Stores(string company);

    /// <summary>The units <paramref name="order"/> took from <paramref name="store"/>'s stock; none when it took none (cancelled, a test, not yet placed).</summary>
    IReadOnlyList<TakenStock> Taken(JsonObject order, OrderStockStore store);
}
