using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;

namespace Integration.Connectors.WooCommerce.Orders;

/// <summary>Reads and annotates a store's orders through the REST API (the v3 order object, as the webhooks carry it).</summary>
public sealed class WooCommerceOrders(WooCommerceClients clients)
{
    /// <summary>One order as the store has it now; null when the store has no such order (deleted for good).</summary>
    public Task<JsonObject?> GetAsync(string? store, long orderId, CancellationToken cancellationToken = default) =>
        clients.For(store).FindAsync("GetOrder", (api, ct) => api.GetOrderAsync(orderId, ct), cancellationToken);

    /// <summary>
    /// Orders modified at or after <paramref name="since"/> (GMT), oldest change first, and the watermark to pass next
    /// time (the latest <c>date_modified_gmt</c> seen; <paramref name="since"/> when none changed).
    /// </summary>
    /// <remarks>
    /// Paged by seeking, not by page number: each page asks for what was modified after the last page's last order
    /// (less a second, since <c>modified_after</c> is exclusive and kept to the second), and versions already seen are
    /// left out. With page numbers, an order modified while the list is read moves to its end and shifts the pages
    /// after it by one: the order that slips back over the page boundary is never listed, and the watermark passes it.
    /// Only a page whose orders were all modified in the same second is stepped over by page number within that second.
    /// The orders in the trash are listed on their own (<c>status=trash</c>): WordPress's default status, <c>any</c>,
    /// leaves them out, and an unpaid order trashed while its webhook was lost would hold its reservation for good.
    /// </remarks>
    public async Task<(IReadOnlyList<JsonObject> Orders, DateTimeOffset Watermark)> ModifiedSinceAsync(string? store, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        var orders = new List<JsonObject>();
        var seen = new HashSet<(long Id, DateTimeOffset? Modified)>();
        var watermark = await ListModifiedSinceAsync(client, null, since, orders, seen, cancellationToken);
        // The trash's own latest change does not move the watermark: an order changed after the first listing ended and
        // before a later trashed one would be passed over. Trashed orders changed since are listed again next time (the
        // inbox leaves out the versions it has).
        await ListModifiedSinceAsync(client, "trash", since, orders, seen, cancellationToken);
        return ([.. orders.OrderBy(o => ModifiedAt(o) ?? since)], watermark);
    }

    // One status's orders modified since (all but the trash when null), added to orders; the latest modification seen.
    private static async Task<DateTimeOffset> ListModifiedSinceAsync(
        WooCommerceClient client, string? status, DateTimeOffset since, List<JsonObject> orders, HashSet<(long Id, DateTimeOffset? Modified)> seen, CancellationToken cancellationToken)
    {
        var watermark = since;
        var after = since.UtcDateTime;
        var page = 1;
        while (true)
        {
            var from = after.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            var number = page;
            var body = await client.CallAsync("ListOrdersModifiedAfter",
                (api, ct) => api.ListOrdersAsync(number, WooCommerceClient.MaxPageSize, from, true, "modified", "asc", status, ct), cancellationToken) as JsonArray ?? [];
            var items = body.OfType<JsonObject>().ToList();
            body.Clear(); // detached, so callers may put them in arrays of their own
            foreach (var order in items)
            {
                var modified = ModifiedAt(order);
                if (order["id"] is JsonValue id && seen.Add((id.GetValue<long>(), modified)))
                {
                    orders.Add(order);
                    watermark = modified is { } at && at > watermark ? at : watermark;
                }
            }

            if (items.Count < WooCommerceClient.MaxPageSize)
            {
                return watermark;
            }

            // The next page starts a second before the last order of this one; a page all of one second moves by page number.
            var seek = ModifiedAt(items[^1])?.UtcDateTime.AddSeconds(-1);
            (after, page) = seek is { } next && next > after && ModifiedAt(items[0]) is { } first && next >= first.UtcDateTime ? (next, 1) : (after, page + 1);
        }
    }

    /// <summary>Every refund of an order (the v3 refund object: amount, reason, and the refunded items as negative copies of the order's), 100 a page.</summary>
    public async Task<IReadOnlyList<JsonObject>> RefundsAsync(string? store, long orderId, CancellationToken cancellationToken = default)
    {
        var refunds = new List<JsonObject>();
        await foreach (var refund in clients.For(store).PagesAsync("ListRefunds", (api, page, size, ct) => api.ListRefundsAsync(orderId, page, size, ct), cancellationToken: cancellationToken))
        {
            refunds.Add(refund);
        }

        return refunds;
    }

    /// <summary>Every note of an order (WooCommerce answers them all at once, newest first): <c>note</c>, <c>customer_note</c>, <c>date_created_gmt</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> NotesAsync(string? store, long orderId, CancellationToken cancellationToken = default) =>
        [.. (await clients.For(store).CallAsync("ListOrderNotes", (api, ct) => api.ListOrderNotesAsync(orderId, ct), cancellationToken) as JsonArray ?? []).OfType<JsonObject>()];

    /// <summary>Sets an order's status (WooCommerce then sends its own mails, e.g. the completed order to the buyer); returns the order as it is after.</summary>
    public async Task<JsonObject> SetStatusAsync(string? store, long orderId, string status, CancellationToken cancellationToken = default) =>
        (await clients.For(store).CallAsync("UpdateOrder", (api, ct) => api.UpdateOrderAsync(orderId, new JsonObject { ["status"] = status }, ct), cancellationToken)).AsObject();

    /// <summary>Adds a note to an order (a tracking number on delivery); <paramref name="toCustomer"/> mails it to the buyer.</summary>
    public Task<JsonNode> AddNoteAsync(string? store, long orderId, string note, bool toCustomer, CancellationToken cancellationToken = default) =>
        clients.For(store).CallAsync("CreateOrderNote",
            (api, ct) => api.CreateOrderNoteAsync(orderId, new JsonObject { ["note"] = note, ["customer_note"] = toCustomer }, ct), cancellationToken);

    /// <summary>
    /// Records a refund the merchant already paid back (in the gateway or by hand). <c>api_refund</c> is always false:
    /// WooCommerce's default (true) would charge the money back through the payment gateway, which the host never does.
    /// </summary>
    public Task<JsonNode> RecordRefundAsync(string? store, long orderId, JsonObject refund, CancellationToken cancellationToken = default)
    {
        var safe = refund.DeepClone().AsObject();
        safe["api_refund"] = false;
        return clients.For(store).CallAsync("CreateRefund", (api, ct) => api.CreateRefundAsync(orderId, safe, ct), cancellationToken);
    }

    /// <summary>An order's <c>date_modified_gmt</c> (WooCommerce writes it without a zone; it is UTC).</summary>
    public static DateTimeOffset? ModifiedAt(JsonObject order) =>
        order["date_modified_gmt"] is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at : null;
}
