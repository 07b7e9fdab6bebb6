namespace Integration.Connectors.WooCommerce.Refunds;

/// <summary>A refund the ERP cannot credit as WooCommerce recorded it (it gives back goods for less than they were sold at, or names a line the order lacks).</summary>
public sealed class RefundNotCreditableException(string store, long orderId, long refundId, string reason)
    : InvalidOperationException($"WooCommerce {store} order {orderId} refund {refundId}: {reason}")
{
    public string Store { get; } = store;

    public long OrderId { get; } = orderId;

    public long RefundId { get; } = refundId;
}
