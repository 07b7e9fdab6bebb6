using System.Globalization;
using Dapper;

namespace Integration.Erp.Sales;

// A store's order cancelled after it was invoiced, and then made active again (WooCommerce lets a cancelled order be set
// back to processing): the cancellation credited the invoice, so the sale is invoiced again on a source of its own.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// The source the store order's current invoice is on: the order's own, or that of the order's newest invoice made
    /// again (<c>&lt;id&gt;:again:N</c>); when that invoice was credited by the order's cancellation (its
    /// <see cref="DocumentSource.Cancellation"/>), the next one, <c>&lt;id&gt;:again:N+1</c>, on which the order is invoiced
    /// again. An invoice made on it is one of the order's invoices (<see cref="OrderInvoicesAsync"/>): a later refund or
    /// cancellation credits it.
    /// </summary>
    public async Task<DocumentSource> CurrentInvoiceSourceAsync(string company, DocumentSource order, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (newest, cancelled) = await connection.QuerySingleOrDefaultAsync<(string? SourceId, bool Cancelled)>(new CommandDefinition("""
            SELECT i.source_id, EXISTS (
                       SELECT 1 FROM erp.sales_document c
                       WHERE c.company = i.company AND c.doc_type = @Return AND c.source_system = i.source_system AND c.source_store = i.source_store
                         AND c.source_id = i.source_id || '/cancel')
            FROM erp.sales_document i
            WHERE i.company = @company AND i.doc_type = @Invoice AND i.source_system = @System AND i.source_store = @Store
              AND (i.source_id = @Id OR i.source_id LIKE @againLike)
            ORDER BY i.id DESC LIMIT 1
            """, new { company, Invoice, Return, order.System, order.Store, order.Id, againLike = AgainLike(order) }, cancellationToken: cancellationToken));
        if (newest is null || !cancelled)
        {
            return newest is null ? order : order with { Id = newest };
        }

        var times = newest == order.Id ? 0 : int.Parse(newest[(order.Id.Length + ":again:".Length)..], CultureInfo.InvariantCulture);
        return order with { Id = $"{order.Id}:again:{(times + 1).ToString(CultureInfo.InvariantCulture)}" };
    }

    private static string AgainLike(DocumentSource order) => $"{order.Id}:again:%";
}
