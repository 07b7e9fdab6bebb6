using Dapper;
using Npgsql;

namespace Integration.Erp.Sales;

public sealed partial class SalesDocuments
{
    // A store order's sales order and its invoice are made one at a time, under a lock on the store order's source
    // taken inside each one's transaction: whichever run comes first (a paid order's run, an incident's retry of the
    // pending one, a run taken over from a dead host), the invoice completes the order made before it, and no order is
    // made (no stock reserved) for a store order invoiced already. Looked up outside, both could miss the other.
    private static Task<int> LockStoreOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, DocumentSource source) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('erp.store_order'), hashtext(@key))",
            new { key = $"{company} {source.System} {source.Store} {source.Id}" }, transaction);

    private static async Task RefuseOrderOfInvoicedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, DocumentSource? source)
    {
        if (source is null)
        {
            return;
        }

        await LockStoreOrderAsync(connection, transaction, company, source);
        if (await FindBySourceAsync(connection, transaction, company, Invoice, source) is { } invoice)
        {
            throw new ErpRuleException("invoiced", $"Store order {source.System} {source.Store} {source.Id} is invoiced already (invoice {invoice}): no sales order is made for it.", 409,
                new Dictionary<string, object?> { ["invoiceId"] = invoice });
        }
    }

    // The invoice of a store order completes that order's open sales order, found in the invoice's own transaction.
    private static async Task<SalesInvoiceRequest> WithStoreOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SalesInvoiceRequest request)
    {
        if (request.Source is not { } source)
        {
            return request;
        }

        await LockStoreOrderAsync(connection, transaction, request.Company, source);
        if (request.SalesOrderId is not null || await FindBySourceAsync(connection, transaction, request.Company, Order, source) is not { } order)
        {
            return request;
        }

        return await LockAsync(connection, transaction, request.Company, order, Order) == "Open" ? request with { SalesOrderId = order } : request;
    }
}
