using System.Globalization;
using Dapper;

namespace Integration.Erp.Sales;

// A store's order cancelled after it was invoiced, and then made active again (WooCommerce lets a cancelled order be set
// back to processing): the cancellation credited the invoice, so the sale is invoiced again on a source of its own.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// The source of the store order's current invoice: that of its newest invoice made again (<c>&lt;id&gt;:again:N</c>),
    /// else the order's own. A refund of an order invoiced again credits that invoice.
    /// </summary>
    public async Task<DocumentSource> CurrentInvoiceSourceAsync(string company, DocumentSource order, CancellationToken cancellationToken) =>
        (await NewestInvoiceAsync(company, order, cancellationToken)).Source;

    /// <summary>
    /// The source the store order, active in the store now, is invoiced on: its current invoice's (<see cref="CurrentInvoiceSourceAsync"/>);
    /// when that invoice was credited by the order's cancellation (its <see cref="DocumentSource.Cancellation"/>), the
    /// next one, <c>&lt;id&gt;:again:N+1</c>, on which the order is invoiced again. An invoice made on it is one of the
    /// order's invoices (<see cref="OrderInvoicesAsync"/>): a later refund or cancellation credits it. Refused
    /// (<c>refunded-before-cancel</c>) when refunds were credited before: the order as the store lists it does not
    /// take them off, so they would be billed again. <c>NotBefore</c> is the day of the cancellation's credit when the
    /// order is invoiced again: the sale made again is never dated before the credit that took the goods back.
    /// </summary>
    public async Task<(DocumentSource Source, DateOnly? NotBefore)> InvoiceSourceAsync(string company, DocumentSource order, CancellationToken cancellationToken)
    {
        var (source, cancelledOn) = await NewestInvoiceAsync(company, order, cancellationToken);
        if (cancelledOn is null)
        {
            return (source, null);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (
                SELECT 1 FROM erp.sales_document r JOIN erp.sales_document i ON i.id = r.against_id
                WHERE r.company = @company AND r.doc_type = @Return AND i.doc_type = @Invoice AND i.source_system = @System AND i.source_store = @Store
                  AND (i.source_id = @Id OR i.source_id LIKE @againLike) AND r.source_id IS DISTINCT FROM i.source_id || '/cancel')
            """, new { company, Invoice, Return, order.System, order.Store, order.Id, againLike = AgainLike(order) }, cancellationToken: cancellationToken)))
        {
            throw new ErpRuleException("refunded-before-cancel",
                $"{order.System} order {order.Id} of {order.Store} is active again after its cancellation, but refunds were credited before it: invoice what it sells now by hand.", 409);
        }

        var times = source.Id == order.Id ? 0 : int.Parse(source.Id[(order.Id.Length + ":again:".Length)..], CultureInfo.InvariantCulture);
        return (order with { Id = $"{order.Id}:again:{(times + 1).ToString(CultureInfo.InvariantCulture)}" }, cancelledOn);
    }

    // The source of the order's newest own-or-again invoice (the order's own when it has none), and the day the order's
    // cancellation credited it (null: not credited).
    private async Task<(DocumentSource Source, DateOnly? CancelledOn)> NewestInvoiceAsync(string company, DocumentSource order, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (newest, cancelledOn) = await connection.QuerySingleOrDefaultAsync<(string? SourceId, DateTime? CancelledOn)>(new CommandDefinition("""
            SELECT i.source_id, (
                       SELECT c.posting_date FROM erp.sales_document c
                       WHERE c.company = i.company AND c.doc_type = @Return AND c.source_system = i.source_system AND c.source_store = i.source_store
                         AND c.source_id = i.source_id || '/cancel')
            FROM erp.sales_document i
            WHERE i.company = @company AND i.doc_type = @Invoice AND i.source_system = @System AND i.source_store = @Store
              AND (i.source_id = @Id OR i.source_id LIKE @againLike)
            ORDER BY i.id DESC LIMIT 1
            """, new { company, Invoice, Return, order.System, order.Store, order.Id, againLike = AgainLike(order) }, cancellationToken: cancellationToken));
        return newest is null ? (order, null) : (order with { Id = newest }, cancelledOn is { } day ? DateOnly.FromDateTime(day) : null);
    }

    private static string AgainLike(DocumentSource order) => $"{order.Id}:again:%";
}
