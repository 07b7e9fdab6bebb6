namespace Integration.Connectors.WooCommerce.Orders;

/// <summary>
/// An ERP delivery told to the store: a customer-visible note with carrier and tracking number (WooCommerce mails it to
/// the buyer), and a paid order (<c>processing</c>) set to <c>completed</c>. Each is checked against the order first, so
/// a redelivered event, a retry after a crash or a second run adds nothing: the note once per tracking number, the status once.
/// </summary>
public sealed class WooCommerceShipments(WooCommerceOrders orders)
{
    /// <summary>The only status a delivery completes: paid and waiting to ship. Pending and on-hold orders are not paid; completing one would book a payment that never came.</summary>
    public const string Completable = "processing";

    /// <summary>Records the delivery on the order; null when the store has no such order.</summary>
    public async Task<OrderShipment?> RecordAsync(string? store, long orderId, string? carrier, string trackingNumber, CancellationToken cancellationToken)
    {
        if (await orders.GetAsync(store, orderId, cancellationToken) is not { } order)
        {
            return null;
        }

        var notes = await orders.NotesAsync(store, orderId, cancellationToken);
        var noted = notes.Any(n => (bool?)n["customer_note"] == true && ((string?)n["note"] ?? "").Contains(trackingNumber, StringComparison.Ordinal));
        if (!noted)
        {
            await orders.AddNoteAsync(store, orderId, Note(carrier, trackingNumber), toCustomer: true, cancellationToken);
        }

        var status = (string?)order["status"] ?? "";
        if (status != Completable)
        {
            return new OrderShipment(!noted, false, status);
        }

        var after = await orders.SetStatusAsync(store, orderId, "completed", cancellationToken);
        return new OrderShipment(!noted, true, (string?)after["status"] ?? "completed");
    }

    /// <summary>The note the buyer reads.</summary>
    public static string Note(string? carrier, string trackingNumber) =>
        string.IsNullOrWhiteSpace(carrier)
            ? $"Your order has shipped. Tracking number: {trackingNumber}"
            : $"Your order has shipped with {carrier.Trim()}. Tracking number: {trackingNumber}";
}
