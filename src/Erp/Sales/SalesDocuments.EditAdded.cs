using System.Globalization;
using Dapper;
using Integration.Erp.Companies;
using Npgsql;

namespace Integration.Erp.Sales;

// Units a store's order edit added after the order was invoiced: sold, so they are invoiced, on an invoice of their
// own (the first one stays as posted and reported to the tax authority), paid by what the store took for them.
public sealed partial class SalesDocuments
{
    /// <summary>
    /// Invoices the units each line has beyond what the order's invoices sold (less units credited as edited off) since
    /// the last call: a supplementary invoice with the line's price, and its discount and tax scaled to those units.
    /// Safe to call again with the same or an older order: a unit is invoiced once. Paid out of what the store received
    /// beyond the payments of the order's invoices, then out of the customer's credit on the order's invoices (units an
    /// edit took off, money not given back yet, goods a refund kept for an exchange). When nothing new was added, Invoice is the order's latest supplementary
    /// invoice (its receipt may still be due), or null.
    /// </summary>
    public async Task<EditAddedPosting> InvoiceEditAddedAsync(EditAddedRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The first invoice's row lock serialises the calls of one order: two runs cannot invoice the same units. (Its
        // status does not matter: an edit that swapped every unit leaves it credited in full, the new units still sold.)
        await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice);
        var order = request.Order;
        var addedLike = $"{order.Id}:added:%";
        var (company, supplementary, added) = await UnitsAddedAsync(connection, transaction, request);
        long[] invoices = [request.InvoiceId, .. supplementary];
        var source = order with { Id = $"{order.Id}:added:{(supplementary.Count + 1).ToString(CultureInfo.InvariantCulture)}" };
        // The units' reservation while the order was not paid for them (ReserveEditAddedAsync): the invoice completes it.
        var reservation = await ReservationAsync(connection, transaction, company.Id, source, addedLike);
        if (added.Count == 0)
        {
            if (reservation is { } open)
            {
                await CancelReservationAsync(connection, transaction, company.Id, open);
                await transaction.CommitAsync(cancellationToken);
            }

            var made = await GetAllAsync(connection, reservation is null ? transaction : null, supplementary);
            return new EditAddedPosting(made.Count == 0 ? null : made[^1], false, [], made);
        }

        var first = await GetAsync(connection, request.InvoiceId, transaction);
        var date = request.PostingDate < first.PostingDate ? first.PostingDate : request.PostingDate;
        var completes = reservation is { } r && await LockAsync(connection, transaction, company.Id, r, Order) == "Open" ? reservation : null;
        var (id, _) = await InsertInvoiceAsync(connection, transaction, new SalesInvoiceRequest(request.Company, first.Customer, date, added, first.Warehouse,
            first.UpdateStock, first.TaxesIncluded, 0, first.Currency, first.ExchangeRate, request.CostCenter, completes, Source: source,
            Remarks: $"Units an edit of order {order.Id} added after {first.DocNo}"), [], null, cancellationToken);
        var payments = request.Payment is { } payment
            ? await PayEditAddedAsync(connection, transaction, company, await GetAsync(connection, id, transaction), source, invoices, payment, addedLike, cancellationToken)
            : [];
        await transaction.CommitAsync(cancellationToken);
        var paid = await GetAllAsync(connection, null, payments);

        var all = await GetAllAsync(connection, null, [.. supplementary, id]);
        return new EditAddedPosting(all[^1], true, paid, all);
    }

    /// <summary>
    /// Reserves the units an edit added to an invoiced order that the store is not paid for yet (it awaits the balance):
    /// a sales order of the units each line has beyond what the order's invoices sold, its source the order's suffixed
    /// <c>:added:N</c> (the supplementary invoice that sells them has that source and completes it). Kept to those units
    /// by each call: changed when they change, cancelled when there are none (another edit took them off again, the
    /// order was cancelled: call with no lines; once the order's cancellation credited its invoice, whatever lines).
    /// Order is the reservation (null when there never was one); Changed says whether this call changed it.
    /// </summary>
    public async Task<(SalesDocument? Order, bool Changed)> ReserveEditAddedAsync(EditAddedRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice);
        var (company, supplementary, added) = await UnitsAddedAsync(connection, transaction, request);
        var source = request.Order with { Id = $"{request.Order.Id}:added:{(supplementary.Count + 1).ToString(CultureInfo.InvariantCulture)}" };
        var id = await ReservationAsync(connection, transaction, company.Id, source, $"{request.Order.Id}:added:%");
        var status = id is { } found ? await LockAsync(connection, transaction, company.Id, found, Order) : null;
        var first = await GetAsync(connection, request.InvoiceId, transaction);
        var priced = added.Count == 0 ? []
            : SalesPricing.Price(await ResolveAsync(connection, transaction, company, added, first.Warehouse, request.CostCenter), 0, first.TaxesIncluded, company.CurrencyPrecision);
        var changed = false;
        if (id is null)
        {
            if (added.Count > 0)
            {
                (id, _, _) = await InsertAsync(connection, transaction, company, Order, "SO", first.Customer, request.PostingDate, "Open", first.Currency, first.ExchangeRate,
                    first.TaxesIncluded, priced, priced.Sum(l => l.Total), null, false, first.Warehouse, false, source,
                    $"Units an edit of order {request.Order.Id} added after {first.DocNo}, reserved until the store is paid for them");
                await ReserveAsync(connection, transaction, company.Id, Reserved(priced), 1);
                changed = true;
            }
        }
        else if (added.Count == 0)
        {
            changed = status == "Open";
            await CancelReservationAsync(connection, transaction, company.Id, id.Value);
        }
        else if (status == "Cancelled" || (status == "Open" && !SameLines(await GetAsync(connection, id.Value, transaction), priced)))
        {
            // The units changed (another edit), or a cancelled reservation is needed again: its lines become the units now,
            // what it held released and the units taken, netted per bin in one pass.
            var held = status == "Open" ? Reserved(await LinesAsync(connection, id.Value, transaction)) : [];
            await connection.ExecuteAsync("DELETE FROM erp.sales_document_line WHERE document_id = @id", new { id }, transaction);
            await InsertLinesAsync(connection, transaction, id.Value, priced);
            await connection.ExecuteAsync(
                "UPDATE erp.sales_document SET status = 'Open', net_total = @net, tax_total = @tax, grand_total = @grand WHERE id = @id",
                new { net = priced.Sum(l => l.Net), tax = priced.Sum(l => l.Tax), grand = priced.Sum(l => l.Total), id }, transaction);
            await MoveReservationsAsync(connection, transaction, company.Id, [.. held.Select(l => (l.Sku, l.Warehouse, -l.Qty)), .. Reserved(priced)]);
            changed = true;
        }

        await transaction.CommitAsync(cancellationToken);
        return (id is { } reservation ? await GetAsync(connection, reservation, null) : null, changed);
    }

    // The order's reservation of units edits added: the open one, whatever its :added:N (an invoice made by hand since
    // moves the next N past it, and the reservation must not be left holding stock), else the one at the next source
    // (cancelled: reopened when units are added again).
    private static Task<long?> ReservationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, DocumentSource next, string addedLike) =>
        connection.ExecuteScalarAsync<long?>("""
            SELECT id FROM erp.sales_document
            WHERE company = @company AND doc_type = @Order AND source_system = @System AND source_store = @Store
              AND (source_id = @Id OR (source_id LIKE @addedLike AND status = 'Open'))
            ORDER BY status = 'Open' DESC, id DESC LIMIT 1
            """, new { company, Order, next.System, next.Store, next.Id, addedLike }, transaction);

    private static IEnumerable<(string Sku, string Warehouse, decimal Qty)> Reserved(IEnumerable<PricedLine> lines) =>
        lines.Where(l => l.Input.Sku is not null && l.Input.Warehouse is not null).Select(l => (l.Input.Sku!, l.Input.Warehouse!, l.Input.Qty));

    private static IEnumerable<(string Sku, string Warehouse, decimal Qty)> Reserved(IEnumerable<SalesDocumentLine> lines) =>
        lines.Where(l => l.Sku is not null && l.Warehouse is not null).Select(l => (l.Sku!, l.Warehouse!, l.Qty));

    // An invoice made by hand (the earlier runbook) whose lines do not name the store's line cannot be counted line by
    // line: invoicing or reserving now could take its units twice. A person says which units it sold.
    private static async Task RefuseUnmatchedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DocumentSource order, List<long> supplementary)
    {
        if (await connection.ExecuteScalarAsync<string?>("""
            SELECT d.doc_no FROM erp.sales_document_line l JOIN erp.sales_document d ON d.id = l.document_id
            WHERE l.document_id = ANY(@supplementary) AND l.source_line_id IS NULL LIMIT 1
            """, new { supplementary = supplementary.ToArray() }, transaction) is { } unmatched)
        {
            throw new ErpRuleException("edit-added-unmatched",
                $"Invoice {unmatched} of order {order.Id} has lines without the store's line id (sourceLineId), so the units an edit added cannot be told from those it invoiced. Credit it and let the order's run invoice the units, or invoice the rest by hand; then cancel this incident.",
                409);
        }
    }

    // The order was cancelled (its invoice credited as such): a run of an older version of it (a retried incident, a
    // late webhook) neither sells nor reserves the units an edit added; it only releases what is reserved.
    private static async Task<bool> CancelledAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, DocumentSource order) =>
        await FindBySourceAsync(connection, transaction, company, Return, order.Cancellation()) is not null;

    // An open reservation of added units no longer needed: released, its lines kept as they were.
    private static async Task CancelReservationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, long id)
    {
        if (await LockAsync(connection, transaction, company, id, Order) != "Open")
        {
            return;
        }

        await ReserveAsync(connection, transaction, company, Reserved(await LinesAsync(connection, id, transaction)), -1);
        await connection.ExecuteAsync("UPDATE erp.sales_document SET status = 'Cancelled' WHERE id = @id", new { id }, transaction);
    }

    // A store line split over several warehouses comes as one line per part (each with its units and its share of the
    // discount and tax): counted as the one line it is, its added units leaving the warehouse of its largest part.
    private static IEnumerable<SalesLineInput> OneLinePerSource(IReadOnlyList<SalesLineInput> lines) =>
        lines.Select((line, index) => (line, index))
            .GroupBy(p => p.line.SourceLineId ?? "#" + p.index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.First().line : g.Select(p => p.line).MaxBy(l => l.Qty)! with
            {
                Qty = g.Sum(p => p.line.Qty),
                DiscountAmount = g.Sum(p => p.line.DiscountAmount),
                TaxAmount = g.All(p => p.line.TaxAmount is null) ? null : g.Sum(p => p.line.TaxAmount ?? 0),
            });

    // The units each line (the order as mapped now) has beyond what the order's invoices sold, less units credited as
    // edited off, with their share of the line's discount and tax (none once the order is cancelled; refused when a
    // hand-made invoice's lines cannot be counted); and the order's supplementary invoices, oldest first.
    private static async Task<(Company Company, List<long> Supplementary, List<SalesLineInput> Added)> UnitsAddedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, EditAddedRequest request)
    {
        List<long> supplementary = [.. (await OrderInvoiceIdsAsync(connection, transaction, request.Company, request.Order)).Where(id => id != request.InvoiceId)];
        long[] invoices = [request.InvoiceId, .. supplementary];
        var sold = (await connection.QueryAsync<(string SourceLineId, decimal Qty)>("""
            SELECT source_line_id, sum(qty - edited_off_qty) FROM erp.sales_document_line
            WHERE document_id = ANY(@invoices) AND source_line_id IS NOT NULL GROUP BY source_line_id
            """, new { invoices }, transaction)).ToDictionary(s => s.SourceLineId, s => s.Qty, StringComparer.Ordinal);

        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        var added = new List<SalesLineInput>();
        foreach (var line in OneLinePerSource(request.Lines))
        {
            var more = line.SourceLineId is null || line.Qty <= 0 ? 0 : line.Qty - sold.GetValueOrDefault(line.SourceLineId);
            if (more <= 0)
            {
                continue;
            }

            // A line's discount and tax are those of all its units: the added units take their share.
            added.Add(more == line.Qty ? line : line with
            {
                Qty = more,
                DiscountAmount = Money.Round(line.DiscountAmount * more / line.Qty, company.CurrencyPrecision),
                TaxAmount = line.TaxAmount is { } tax ? Money.Round(tax * more / line.Qty, company.CurrencyPrecision) : null,
            });
        }

        if (added.Count > 0 && await CancelledAsync(connection, transaction, company.Id, request.Order))
        {
            added.Clear();
        }

        if (added.Count > 0)
        {
            await RefuseUnmatchedAsync(connection, transaction, request.Order, supplementary);
        }

        return (company, supplementary, added);
    }

    private static async Task<List<SalesDocument>> GetAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<long> ids)
    {
        var documents = new List<SalesDocument>();
        foreach (var id in ids)
        {
            documents.Add(await GetAsync(connection, id, transaction));
        }

        return documents;
    }

    /// <summary>
    /// The invoices of a store's order: its own first, then those of units edits added (sources <c>&lt;id&gt;:added</c>, made
    /// by hand, and <c>&lt;id&gt;:added:N</c>) and those of the order invoiced again after a cancellation (<c>&lt;id&gt;:again:N</c>), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<SalesDocument>> OrderInvoicesAsync(string company, DocumentSource order, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAllAsync(connection, null, await OrderInvoiceIdsAsync(connection, null, company, order));
    }

    private static async Task<IReadOnlyList<long>> OrderInvoiceIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, DocumentSource order) =>
        [.. await connection.QueryAsync<long>("""
            SELECT id FROM erp.sales_document
            WHERE company = @company AND doc_type = @Invoice AND source_system = @System AND source_store = @Store
              AND (source_id = @Id OR source_id = @byHand OR source_id LIKE @addedLike OR source_id LIKE @againLike)
            ORDER BY source_id <> @Id, id
            """, new { company, Invoice, order.System, order.Store, order.Id, byHand = $"{order.Id}:added", addedLike = $"{order.Id}:added:%", againLike = AgainLike(order) }, transaction)];

    // The store's money not yet on the order's invoices first, then the customer's credit on the order's invoices
    // (PayFromCreditsAsync), on the gateway's account.
    private static async Task<List<long>> PayEditAddedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, SalesDocument invoice, DocumentSource source, long[] earlier,
        ReceivedPayment payment, string addedLike, CancellationToken cancellationToken)
    {
        var paidBefore = await connection.ExecuteScalarAsync<decimal>("""
            SELECT coalesce(sum(CASE WHEN doc_type = @Payment THEN grand_total ELSE -grand_total END), 0) FROM erp.sales_document
            WHERE against_id = ANY(@earlier) AND (doc_type = @Payment OR (doc_type = @OverpaymentRefund AND source_id LIKE @addedLike))
            """, new { earlier, Payment, OverpaymentRefund, addedLike }, transaction);
        var made = new List<long>();
        var outstanding = invoice.Outstanding;
        var cash = Math.Min(outstanding, payment.Received - paidBefore);
        if (cash > 0)
        {
            made.Add(await PayLockedAsync(connection, transaction, company, invoice.Id, invoice.PostingDate, payment.Account, cash, source,
                payment.Reference, cancellationToken));
            outstanding -= cash;
        }

        made.AddRange(await PayFromCreditsAsync(connection, transaction, company, earlier, invoice, outstanding, invoice.PostingDate, payment.Account, source, cancellationToken));
        return made;
    }

    // The customer's credit on the order's other invoices (an overpayment, units an edit took off, goods a refund kept),
    // oldest first, pays up to <due> of the invoice: paid back out of each (an overpayment refund, on source, suffixed
    // by the invoice it leaves after the first) and into the invoice from it, so the customer's receivable moves between
    // the two and the account nets to nothing. The payments made.
    private static async Task<List<long>> PayFromCreditsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, IReadOnlyList<long> credits, SalesDocument invoice, decimal due, DateOnly date,
        string account, DocumentSource source, CancellationToken cancellationToken)
    {
        var made = new List<long>();
        foreach (var (creditId, n) in credits.Where(id => id != invoice.Id).Select((id, n) => (id, n)))
        {
            // Locked before its credit is read (oldest first, after the order's own invoice, as its callers hold it): the
            // money moved out of it is the money paid in.
            await LockAsync(connection, transaction, company.Id, creditId, Invoice);
            var from = await GetAsync(connection, creditId, transaction);
            var overpaid = await connection.ExecuteScalarAsync<decimal>(Overpaid, new { company = company.Id, invoiceId = from.Id, Invoice, Payment, OverpaymentRefund }, transaction);
            var credit = Math.Min(due, Math.Min(overpaid, -from.Outstanding));
            if (credit <= 0)
            {
                continue;
            }

            var moved = n == 0 ? source : source with { Id = $"{source.Id}:{from.Id.ToString(CultureInfo.InvariantCulture)}" };
            var reference = $"Customer credit on {from.DocNo} for {invoice.DocNo}";
            await RefundOverpaymentLockedAsync(connection, transaction, new OverpaymentRefundRequest(company.Id, from.Id, date, account, credit, moved, reference), cancellationToken);
            made.Add(await PayLockedAsync(connection, transaction, company, invoice.Id, date, account, credit, moved with { Id = $"{moved.Id}:credit" }, reference, cancellationToken));
            due -= credit;
            if (due <= 0)
            {
                break;
            }
        }

        return made;
    }

    // Goods a refund kept (returned for the items taken instead: an exchange) pay the order's invoices of units added
    // after it that are still open, oldest first, whichever of the two the store reported first: one made after the
    // refund is paid from the credit as it is made (PayEditAddedAsync). On the refund's account, else the one the order's
    // invoice was paid into (the two entries net to nothing on it). The caller holds the order's invoices' locks.
    private static async Task PayAddedFromCreditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string companyId, IReadOnlyList<long> invoices, DateOnly date, string? account,
        DocumentSource refund, CancellationToken cancellationToken)
    {
        var open = (await connection.QueryAsync<long>(
            "SELECT id FROM erp.sales_document WHERE id = ANY(@later) AND outstanding > 0 AND source_id ~ ':added(:[0-9]+)?$' ORDER BY id",
            new { later = invoices.Skip(1).ToArray() }, transaction)).ToList();
        if (open.Count == 0 || (account ?? await PaidIntoAsync(connection, transaction, invoices[0])) is not { } paidInto)
        {
            return;
        }

        var company = await CompanyStore.GetAsync(connection, companyId, transaction);
        foreach (var id in open)
        {
            var invoice = await GetAsync(connection, id, transaction);
            // Sourced under the added invoice's own source, so the next edit's payment counts it as moved, not received.
            var source = new DocumentSource(invoice.SourceSystem!, invoice.SourceStore!, $"{invoice.SourceId}:from:{refund.Id}");
            await PayFromCreditsAsync(connection, transaction, company, invoices, invoice, invoice.Outstanding, date < invoice.PostingDate ? invoice.PostingDate : date,
                paidInto, source, cancellationToken);
        }
    }

    // The account the invoice's latest payment went into.
    private static Task<string?> PaidIntoAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long invoiceId) =>
        connection.ExecuteScalarAsync<string?>("""
            SELECT g.account FROM erp.sales_document p JOIN erp.gl_entry g ON g.voucher_id = p.voucher_id AND g.debit > 0
            WHERE p.against_id = @invoiceId AND p.doc_type = @Payment ORDER BY p.id DESC LIMIT 1
            """, new { invoiceId, Payment }, transaction);
}
