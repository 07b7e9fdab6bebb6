using Dapper;
using Integration.Erp.Companies;
using Integration.Erp.Items;
using Integration.Erp.Ledger;
using Integration.Erp.Stock;
using Npgsql;

namespace Integration.Erp.Sales;

/// <summary>
/// Sales orders (reserve stock, credit limit), sales invoices (receivable, income and VAT; with update-stock also
/// the stock issue and its cost), payments, deliveries and sales returns (exactly their share of the invoice, stock
/// back at its original cost). Every document is idempotent on its source: creating it again returns the first.
/// </summary>
public sealed partial class SalesDocuments(NpgsqlDataSource dataSource)
{
    public const string Order = "Sales Order";
    public const string Invoice = "Sales Invoice";
    public const string Return = "Sales Return";
    public const string Payment = "Payment";
    public const string Delivery = "Delivery";
    public const string OverpaymentRefund = "Overpayment Refund";

    public Task<(SalesDocument Document, bool Existed)> CreateOrderAsync(SalesOrderRequest request, CancellationToken cancellationToken) =>
        IdempotentAsync(request.Company, Order, request.Source, async (connection, transaction) =>
        {
            await RefuseOrderOfInvoicedAsync(connection, transaction, request.Company, request.Source);
            var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
            await RequireCustomerAsync(connection, transaction, request.Company, request.Customer);
            var lines = await ResolveAsync(connection, transaction, company, request.Lines, request.Warehouse, request.CostCenter);
            var priced = SalesPricing.Price(lines, request.DiscountAmount, request.TaxesIncluded, company.CurrencyPrecision);
            var grand = priced.Sum(l => l.Total);
            await CheckCreditLimitAsync(connection, transaction, request.Company, request.Customer, grand);
            var (id, _, _) = await InsertAsync(connection, transaction, company, Order, "SO", request.Customer, request.PostingDate, "Open", Currency(request.Currency, request.ExchangeRate, company),
                request.ExchangeRate, request.TaxesIncluded, priced, grand, null, false, request.Warehouse, false, request.Source, request.Remarks);
            await connection.ExecuteAsync("UPDATE erp.sales_document SET source_version = @SourceVersion WHERE id = @id", new { request.SourceVersion, id }, transaction);
            await ReserveAsync(connection, transaction, company.Id, priced.Where(l => l.Input.Sku is not null && l.Input.Warehouse is not null).Select(l => (l.Input.Sku!, l.Input.Warehouse!, l.Input.Qty)), 1);
            return (id, []);
        }, cancellationToken);

    /// <summary>
    /// Brings an open sales order to the store's edited order: its lines, quantities, totals and reservations are
    /// replaced by the request's. Applied once per <see cref="SalesOrderRequest.SourceVersion"/>: the same or an older
    /// version changes nothing (Updated false). An order that is no longer open is refused (<c>not-open</c>, 409), except
    /// with <paramref name="reopenCancelled"/>: a cancelled store order the store reopened (a failed payment retried, a
    /// cancelled order set on hold again) is opened again by a version no older than its own and reserves its lines anew,
    /// as the store took their stock again. The same version counts: a store stamps its changes to the second, and a
    /// cancelled order's version is the one it had while open.
    /// </summary>
    public async Task<(SalesDocument Document, bool Updated)> UpdateOrderAsync(long id, SalesOrderRequest request, CancellationToken cancellationToken, bool reopenCancelled = false)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await LockAsync(connection, transaction, request.Company, id, Order);
        var current = await GetAsync(connection, id, transaction);
        var reopen = reopenCancelled && status == "Cancelled" && current.SourceSystem is not null && request.SourceVersion is not null;
        if (status != "Open" && !reopen)
        {
            throw new ErpRuleException("not-open", $"Sales order {id} is {status}; only an open order can be changed.", 409);
        }

        if (request.SourceVersion is not null && current.SourceVersion is not null
            && (reopen ? IsNewer(current.SourceVersion, request.SourceVersion) : !IsNewer(request.SourceVersion, current.SourceVersion)))
        {
            return (current, false);
        }

        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        var lines = await ResolveAsync(connection, transaction, company, request.Lines, request.Warehouse, request.CostCenter);
        var priced = SalesPricing.Price(lines, request.DiscountAmount, request.TaxesIncluded, company.CurrencyPrecision);
        var grand = priced.Sum(l => l.Total);
        // A new version that leaves the lines as they are (a tag, a note, a fulfilment) only moves the version.
        if (!reopen && SameLines(current, priced))
        {
            await connection.ExecuteAsync("UPDATE erp.sales_document SET source_version = coalesce(@SourceVersion, source_version) WHERE id = @id", new { request.SourceVersion, id }, transaction);
            await transaction.CommitAsync(cancellationToken);
            return (await GetAsync(connection, id, null), false);
        }

        if (reopen || grand > current.GrandTotal)
        {
            await CheckCreditLimitAsync(connection, transaction, request.Company, current.Customer, reopen ? grand : grand - current.GrandTotal);
        }

        await connection.ExecuteAsync("DELETE FROM erp.sales_document_line WHERE document_id = @id", new { id }, transaction);
        await InsertLinesAsync(connection, transaction, id, priced);
        await connection.ExecuteAsync("""
            UPDATE erp.sales_document SET taxes_included = @TaxesIncluded, net_total = @net, tax_total = @tax, grand_total = @grand,
                warehouse = @Warehouse, remarks = coalesce(@Remarks, remarks), source_version = coalesce(@SourceVersion, source_version), status = 'Open'
            WHERE id = @id
            """, new { request.TaxesIncluded, net = priced.Sum(l => l.Net), tax = priced.Sum(l => l.Tax), grand, request.Warehouse, request.Remarks, request.SourceVersion, id }, transaction);
        // Reservations follow the lines: the old ones released (a cancelled order's were, when it was cancelled) and the
        // new ones taken, netted per bin in one pass.
        await MoveReservationsAsync(connection, transaction, company.Id, [
            .. current.Lines.Where(l => !reopen && l.Sku is not null && l.Warehouse is not null).Select(l => (l.Sku!, l.Warehouse!, -l.Qty)),
            .. priced.Where(l => l.Input.Sku is not null && l.Input.Warehouse is not null).Select(l => (l.Input.Sku!, l.Input.Warehouse!, l.Input.Qty))]);
        await Outbox.AddAsync(connection, transaction, "erp.order.updated", company.Id, id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { id, grandTotal = grand, version = request.SourceVersion });
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(connection, id, null), true);
    }

    // The line is named, so the person reading the incident knows which product lacks its SKU.
    private static ErpRuleException IncomeAccountRequired(SalesLineInput line) =>
        new("income-account-required", $"The line '{line.Description ?? line.SourceLineId ?? "(no description)"}' has no SKU and names no income account: "
            + "give the product a SKU the ERP knows, or the line an income account.", 400);

    private static bool SameLines(SalesDocument current, IReadOnlyList<PricedLine> priced) =>
        current.Lines.Count == priced.Count && current.Lines.Zip(priced).All(p => p.First.Sku == p.Second.Input.Sku && p.First.Qty == p.Second.Input.Qty
            && p.First.Rate == p.Second.Input.Rate && p.First.NetAmount == p.Second.Net && p.First.TaxAmount == p.Second.Tax
            && p.First.SourceLineId == p.Second.Input.SourceLineId && p.First.Warehouse == p.Second.Input.Warehouse);

    // Versions are the store's update times; compared as instants when both parse, else as text.
    private static bool IsNewer(string version, string than) =>
        DateTimeOffset.TryParse(version, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var a)
        && DateTimeOffset.TryParse(than, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var b)
            ? a > b
            : string.CompareOrdinal(version, than) > 0;

    public async Task<SalesDocument> CancelOrderAsync(string company, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await LockAsync(connection, transaction, company, id, Order);
        if (status != "Open")
        {
            throw new ErpRuleException("not-open", $"Sales order {id} is {status}; only an open order can be cancelled.", 409);
        }

        var lines = await LinesAsync(connection, id, transaction);
        await ReserveAsync(connection, transaction, company, lines.Where(l => l.Sku is not null && l.Warehouse is not null).Select(l => (l.Sku!, l.Warehouse!, l.Qty)), -1);
        await connection.ExecuteAsync("UPDATE erp.sales_document SET status = 'Cancelled' WHERE id = @id", new { id }, transaction);
        await Outbox.AddAsync(connection, transaction, "erp.order.cancelled", company, id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { id });
        await transaction.CommitAsync(cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public Task<(SalesDocument Document, bool Existed)> CreateInvoiceAsync(SalesInvoiceRequest request, CancellationToken cancellationToken) =>
        IdempotentAsync(request.Company, Invoice, request.Source, async (connection, transaction) =>
            await InsertInvoiceAsync(connection, transaction, await WithStoreOrderAsync(connection, transaction, request), [], null, cancellationToken), cancellationToken);

    /// <summary>
    /// Posts the invoice of a store's order and the payments taken for it, each once per its own source. A new invoice
    /// and its payments are committed together (one transaction: a crash leaves both or neither). For an invoice made
    /// before (a redelivery, or an order invoiced unpaid and paid later) each payment not made yet is made on its own.
    /// A payment is made only while the invoice has something outstanding; one larger than that is refused as it
    /// always was, after the invoice is posted, unless it takes its overpayment as the customer's credit.
    /// </summary>
    public async Task<InvoicePosting> CreateInvoiceAsync(SalesInvoiceRequest request, IReadOnlyList<InvoicePayment> payments, CancellationToken cancellationToken)
    {
        var source = request.Source ?? throw new ErpRuleException("no-source", "An invoice with its payments needs its source: each payment is made once per source.", 400);
        var withInvoice = new List<long?>(payments.Count);
        var (invoice, existed) = await IdempotentAsync(request.Company, Invoice, source,
            async (connection, transaction) => await InsertInvoiceAsync(connection, transaction, await WithStoreOrderAsync(connection, transaction, request), payments, withInvoice, cancellationToken),
            cancellationToken);
        if (existed)
        {
            withInvoice.Clear(); // made by another caller: its payments, if any, are found by source below
        }

        var recorded = new List<SalesDocument?>(payments.Count);
        foreach (var id in withInvoice)
        {
            recorded.Add(id is { } paymentId ? await GetAsync(paymentId, cancellationToken) : null);
        }

        for (var i = withInvoice.Count; i < payments.Count; i++)
        {
            var payment = payments[i];
            var paid = await FindBySourceAsync(request.Company, Payment, payment.Source, cancellationToken);
            if (paid is null && payment.Amount is not <= 0 && (invoice.Outstanding > 0 || (payment.OverpaymentAsCredit && payment.Amount is not null)))
            {
                (paid, _) = await CreatePaymentAsync(new PaymentRequest(request.Company, invoice.Id, payment.PostingDate ?? request.PostingDate, payment.Account,
                    payment.Amount ?? invoice.Outstanding, payment.Source, payment.Reference, payment.OverpaymentAsCredit), cancellationToken);
                invoice = await GetAsync(invoice.Id, cancellationToken);
            }

            recorded.Add(paid);
        }

        return new InvoicePosting(invoice, existed, recorded);
    }

    // The invoice; with 'payments' (a new invoice of a store's order) also those payments, in order, while each fits
    // in what is outstanding. 'made' gets each payment's id (null: nothing was outstanding, or a zero amount); a
    // payment larger than what is left, and those after it, are left to the caller.
    private static async Task<(long Id, IReadOnlyList<string> Warnings)> InsertInvoiceAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SalesInvoiceRequest request, IReadOnlyList<InvoicePayment> payments, List<long?>? made,
        CancellationToken cancellationToken)
    {
        var (company, receivable, outputTax) = await InvoiceContextAsync(connection, transaction, request.Company, request.Customer);
        var input = request.Lines;
        IReadOnlyList<SalesDocumentLine>? orderLines = null;
        if (request.SalesOrderId is { } orderId)
        {
            if (await LockAsync(connection, transaction, request.Company, orderId, Order) != "Open")
            {
                throw new ErpRuleException("not-open", $"Sales order {orderId} is not open.", 409);
            }

            // Billing another customer would complete the order and release its reservation for someone it was never sold
            // to; a store order's own invoice may name the customer the store moved the order to since.
            // The order and its lines in one round trip, as the lines alone took before.
            var ordered = await GetAsync(connection, orderId, transaction);
            if (!string.Equals(ordered.Customer, request.Customer, StringComparison.Ordinal)
                && request.Source != new DocumentSource(ordered.SourceSystem!, ordered.SourceStore!, ordered.SourceId!))
            {
                throw new ErpRuleException("other-customer", $"Sales order {orderId} is customer {ordered.Customer}'s; an invoice for {request.Customer} cannot complete it.", 409);
            }

            orderLines = ordered.Lines;
            await connection.ExecuteAsync("UPDATE erp.sales_document SET status = 'Completed' WHERE id = @orderId", new { orderId }, transaction);
            if (input.Count == 0)
            {
                input = [.. orderLines.Select(l => new SalesLineInput(l.Sku, l.Qty, l.Rate, l.DiscountAmount, l.TaxRate, l.IncomeAccount, l.CostCenter, l.Warehouse, l.Description, TaxAmount: l.TaxAmount))];
            }
        }

        var groups = new Dictionary<string, ItemGroup>(StringComparer.Ordinal);
        var lines = await ResolveAsync(connection, transaction, company, input, request.Warehouse, request.CostCenter, groups);
        var priced = SalesPricing.Price(lines, request.DiscountAmount, request.TaxesIncluded, company.CurrencyPrecision);
        var grand = priced.Sum(l => l.Total);
        var currency = Currency(request.Currency, request.ExchangeRate, company);
        // An invoice for nothing (an order given away whole) has nothing to pay: its stock still leaves at cost.
        var (id, docNo, voucherId) = await InsertAsync(connection, transaction, company, Invoice, "SINV", request.Customer, request.PostingDate, grand == 0 ? "Paid" : "Unpaid", currency,
            request.ExchangeRate, request.TaxesIncluded, priced, grand, request.SalesOrderId, true, request.Warehouse, request.UpdateStock, request.Source, request.Remarks);
        if (orderLines is not null)
        {
            // The order's reservation is released after the invoice row is in (whose customer key it shares): the bins
            // are locked after the customer, as an order being made locks them, so the two cannot deadlock.
            var reserved = orderLines.Where(l => l.Sku is not null && l.Warehouse is not null).Select(l => (Sku: l.Sku!, Warehouse: l.Warehouse!, l.Qty)).ToList();
            var issued = request.UpdateStock ? priced.Where(l => l.Input.Sku is not null && l.Input.Warehouse is not null).Select(l => (l.Input.Sku!, l.Input.Warehouse!)).ToHashSet() : [];
            if (!issued.IsSubsetOf(reserved.Select(l => (l.Sku, l.Warehouse))))
            {
                // Lines other than the order's: every bin the invoice touches is locked at once, in order, before the
                // release takes the order's; taken in two passes, two such sales could each wait for the other's bin.
                await StockPosting.LockBinsInOrderAsync(connection, transaction, company.Id, [.. issued.Union(reserved.Select(l => (l.Sku, l.Warehouse)))]);
            }

            await ReserveAsync(connection, transaction, company.Id, reserved, -1);
        }

        // The ledger takes no line of zero: a document for nothing posts its stock value alone.
        var gl = grand == 0 ? [] : new List<VoucherLine> { new(receivable, Debit: grand, PartyType: "Customer", Party: request.Customer, Currency: currency, ExchangeRate: request.ExchangeRate) };
        // Income is never booked on a stock account: its balance is the stock ledger's value.
        gl.AddRange(priced.Where(l => l.Net != 0).Select(l => new VoucherLine(l.Input.IncomeAccount!, Debit: l.Net < 0 ? -l.Net : 0, Credit: l.Net > 0 ? l.Net : 0,
            CostCenter: l.Input.CostCenter, Currency: currency, ExchangeRate: request.ExchangeRate, Remarks: l.Input.Sku ?? l.Input.Description, NoStockAccount: true)));
        var tax = priced.Sum(l => l.Tax);
        if (tax != 0)
        {
            gl.Add(new VoucherLine(outputTax, Credit: tax, Currency: currency, ExchangeRate: request.ExchangeRate, Remarks: "VAT"));
        }

        var movements = new List<StockMovement>();
        if (request.UpdateStock)
        {
            foreach (var line in priced.Where(l => l.Input.Sku is not null && l.Input.Warehouse is not null))
            {
                // Every SKU line was resolved with its group, in this transaction.
                var group = groups[line.Input.Sku!];
                movements.Add(new StockMovement(line.LineNo, line.Input.Sku!, line.Input.Warehouse!, -line.Input.Qty, null,
                    group.CogsAccount ?? throw new ErpRuleException("no-cogs-account", $"Item group of {line.Input.Sku} has no COGS account."), line.Input.CostCenter));
            }
        }

        var warnings = await StockPosting.PostAsync(connection, transaction, company, voucherId, docNo, Invoice, request.PostingDate, movements, cancellationToken, gl);
        var posted = Outbox.Parameters("erp.invoice.posted", company.Id, docNo, new { id, docNo, request.Customer, grandTotal = grand, source = request.Source });
        posted.AddDynamicParams(new { voucherId, id });
        await connection.ExecuteAsync($"""
            WITH cogs AS (
                UPDATE erp.sales_document_line l SET cogs_amount = -s.value_change
                FROM erp.stock_ledger_entry s WHERE s.voucher_id = @voucherId AND l.document_id = @id AND l.line_no = s.line_no
            ),
            invoice AS (UPDATE erp.sales_document SET voucher_id = @voucherId, outstanding = grand_total WHERE id = @id)
            {Outbox.Insert}
            """, posted, transaction);
        var outstanding = grand;
        if (request.Payment is { } payment && payment.Amount > 0)
        {
            await PayLockedAsync(connection, transaction, company, id, request.PostingDate, payment.Account, payment.Amount, null, payment.Reference, cancellationToken, receivable);
            outstanding -= payment.Amount;
        }

        foreach (var taken in payments)
        {
            var over = taken.OverpaymentAsCredit && taken.Amount is not null;
            if ((outstanding <= 0 && !over) || taken.Amount is <= 0)
            {
                made!.Add(null);
                continue;
            }

            var amount = taken.Amount ?? outstanding;
            if (amount > outstanding && !over)
            {
                break;
            }

            made!.Add(await PayLockedAsync(connection, transaction, company, id, taken.PostingDate ?? request.PostingDate, taken.Account, amount, taken.Source,
                taken.Reference, cancellationToken, receivable, over));
            outstanding -= amount;
        }

        return (id, warnings);
    }

    public Task<(SalesDocument Document, bool Existed)> CreatePaymentAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        IdempotentAsync(request.Company, Payment, request.Source, async (connection, transaction) =>
        {
            var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
            // Payments of one invoice serialize on its lock: one of the same source made meanwhile (a concurrent redelivery)
            // is the answer, rather than this one refused for paying an invoice that is paid by now.
            await LockAsync(connection, transaction, company.Id, request.InvoiceId, Invoice);
            if (request.Source is { } source && await FindBySourceAsync(connection, transaction, company.Id, Payment, source) is not null)
            {
                throw new CreatedMeanwhileException();
            }

            return (await PayLockedAsync(connection, transaction, company, request.InvoiceId, request.PostingDate, request.Account, request.Amount, request.Source, request.Reference,
                cancellationToken, overpaymentAsCredit: request.OverpaymentAsCredit), []);
        }, cancellationToken);

    public Task<(SalesDocument Document, bool Existed)> CreateReturnAsync(SalesReturnRequest request, CancellationToken cancellationToken) =>
        IdempotentAsync(request.Company, Return, request.Source, (connection, transaction) => InsertReturnAsync(connection, transaction, request, cancellationToken), cancellationToken);

    private static async Task<(long Id, IReadOnlyList<string> Warnings)> InsertReturnAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SalesReturnRequest request, CancellationToken cancellationToken)
    {
        var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
        var status = await LockAsync(connection, transaction, request.Company, request.InvoiceId, Invoice);
        // Returns of one invoice serialize on its lock: one of the same source made meanwhile (the same refund delivered
        // twice at once) is the answer, rather than this one refused for returning units that are back by now.
        if (request.Source is { } source && await FindBySourceAsync(connection, transaction, company.Id, Return, source) is not null)
        {
            throw new CreatedMeanwhileException();
        }

        var invoice = await GetAsync(connection, request.InvoiceId, transaction);
        if (status == "Returned")
        {
            throw new ErpRuleException("already-returned", $"Invoice {invoice.DocNo}{(invoice.SourceSystem is null ? "" : $" ({invoice.SourceSystem} order {invoice.SourceId} of {invoice.SourceStore})")} is fully returned: nothing of it is left to credit.", 409);
        }

        // Nothing comes back before it was sold: a return dated earlier (a store's refund in UTC, the sale in local
        // time) would put the stock back before the sale and re-value it. It takes the invoice's date.
        var date = request.PostingDate < invoice.PostingDate ? invoice.PostingDate : request.PostingDate;
        var (receivable, outputTax) = await TaxAndReceivableAccountsAsync(connection, transaction, company.Id);
        var returned = new List<(SalesDocumentLine Line, decimal Qty, decimal Net, decimal Tax, decimal Cogs, bool Restock, string? Warehouse)>();
        // What each invoice line has back, this request's earlier entries included: one line named twice is checked
        // and shared out on its running total, never twice against what it had before.
        var back = invoice.Lines.ToDictionary(l => l.LineNo, l => l.ReturnedQty);
        foreach (var r in SplitLineReturns.Share(invoice.Lines, request.Lines))
        {
            // Naming nothing would match the first line without SKU (shipping, a custom item, a gift card) by chance.
            if (r.LineNo is null && r.SourceLineId is null && r.Sku is null)
            {
                throw new ErpRuleException("invoice-line-required", $"A line of the return against invoice {invoice.DocNo} names no invoice line: give its lineNo, sourceLineId or SKU.", 400);
            }

            var line = invoice.Lines.FirstOrDefault(l => r.LineNo is { } n ? l.LineNo == n
                    : r.SourceLineId is { } sourceLine ? l.SourceLineId == sourceLine
                    : l.Sku == r.Sku && l.Qty - back[l.LineNo] >= r.Qty)
                ?? throw new ErpRuleException("unknown-invoice-line", $"Invoice {invoice.DocNo} has no line {r.LineNo?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? r.SourceLineId ?? r.Sku} with that much left to return.");
            var already = back[line.LineNo];
            if (r.Qty <= 0 || already + r.Qty > line.Qty)
            {
                throw new ErpRuleException("return-exceeds-sold", $"Line {line.LineNo} sold {line.Qty:0.###}, {already:0.###} returned already; {r.Qty:0.###} more cannot come back.");
            }

            back[line.LineNo] = already + r.Qty;
            var p = company.CurrencyPrecision;
            var restock = r.Restock ?? request.Restock;
            returned.Add((line, r.Qty, SalesPricing.ReturnShare(line.NetAmount, line.Qty, already, r.Qty, p),
                SalesPricing.ReturnShare(line.TaxAmount, line.Qty, already, r.Qty, p), SalesPricing.ReturnShare(line.CogsAmount, line.Qty, already, r.Qty, p),
                restock, line.Warehouse is not null && restock ? r.Warehouse ?? line.Warehouse : line.Warehouse));
            await connection.ExecuteAsync("UPDATE erp.sales_document_line SET returned_qty = returned_qty + @Qty WHERE document_id = @id AND line_no = @LineNo",
                new { r.Qty, id = invoice.Id, line.LineNo }, transaction);
        }

        var leftByRate = request.Amounts?.Any(a => a.TaxAsInvoiced == true) == true ? await LeftByRateAsync(connection, transaction, invoice, back, company.CurrencyPrecision) : [];
        var amounts = (request.Amounts ?? []).SelectMany(a => a.TaxAsInvoiced == true ? AsInvoiced(a, leftByRate, company.CurrencyPrecision) : [a])
            .Select(a => ReturnAmount(a, invoice.TaxesIncluded, company.CurrencyPrecision)).ToList();
        if (returned.Count == 0 && amounts.Count == 0)
        {
            throw new ErpRuleException("no-lines", "A sales return needs a line or an amount.", 400);
        }

        var total = returned.Sum(r => r.Net + r.Tax) + amounts.Sum(a => a.Net + a.Tax);
        // Credit notes never give back more than was sold: goods are capped per line above, amounts here by what is left.
        var credited = await connection.ExecuteScalarAsync<decimal>(
            "SELECT coalesce(sum(grand_total), 0) FROM erp.sales_document WHERE against_id = @id AND doc_type = @Return",
            new { id = invoice.Id, Return }, transaction);
        var offsets = new decimal[returned.Count];
        if (request.OffsetAmountsCredited && credited + total > invoice.GrandTotal && returned.Count > 0)
        {
            // The rest of an invoice after money given back without goods: that money, with its own split of net and
            // VAT, is taken off the lines (by their net and by their VAT), so income and VAT both end where they were.
            var (withoutNet, withoutTax) = await connection.QuerySingleAsync<(decimal, decimal)>("""
                SELECT coalesce(sum(l.net_amount), 0), coalesce(sum(l.tax_amount), 0)
                FROM erp.sales_document_line l JOIN erp.sales_document r ON r.id = l.document_id
                WHERE r.against_id = @id AND r.doc_type = @Return AND l.source_line_id IS NULL
                """, new { id = invoice.Id, Return }, transaction);
            var excess = Math.Min(credited + total - invoice.GrandTotal, withoutNet + withoutTax);
            if (excess > 0)
            {
                var precision = company.CurrencyPrecision;
                var taxPart = Math.Min(Money.Round(excess * withoutTax / (withoutNet + withoutTax), precision), returned.Sum(r => r.Tax));
                var netOff = SalesPricing.Spread(excess - taxPart, [.. returned.Select(r => r.Net)], precision);
                // What the nets cannot take comes off the VAT, and the other way round.
                var taxOff = SalesPricing.Spread(excess - netOff.Sum(), [.. returned.Select(r => r.Tax)], precision);
                var more = SalesPricing.Spread(excess - netOff.Sum() - taxOff.Sum(), [.. returned.Select((r, i) => r.Net - netOff[i])], precision);
                for (var i = 0; i < returned.Count; i++)
                {
                    offsets[i] = netOff[i] + more[i];
                    returned[i] = returned[i] with { Net = returned[i].Net - offsets[i], Tax = returned[i].Tax - taxOff[i] };
                }

                total -= offsets.Sum() + taxOff.Sum();
            }
        }
        if (credited + total > invoice.GrandTotal)
        {
            throw new ErpRuleException("return-exceeds-invoice",
                $"Invoice {invoice.DocNo} is for {invoice.GrandTotal:0.00}, {credited:0.00} credited already; a credit note of {total:0.00} would exceed it.",
                details: new Dictionary<string, object?> { ["invoice"] = invoice.DocNo, ["grandTotal"] = invoice.GrandTotal, ["credited"] = credited, ["requested"] = total });
        }

        var priced = returned.Select((r, i) => new PricedLine(i + 1, new SalesLineInput(r.Line.Sku, r.Qty, r.Line.Rate, 0, r.Line.TaxRate, r.Line.IncomeAccount, r.Line.CostCenter, r.Warehouse, r.Line.Description, r.Line.LineNo.ToString(System.Globalization.CultureInfo.InvariantCulture)), offsets[i], r.Net, r.Tax, r.Line.TaxRate)).ToList();
        // An amount's unit rate is written as the invoice's are (tax included or not), as the ETA receipt reads them.
        priced.AddRange(amounts.Select((a, i) => new PricedLine(returned.Count + i + 1, new SalesLineInput(null, 1, invoice.TaxesIncluded ? a.Net + a.Tax : a.Net, 0, a.Rate, a.Input.IncomeAccount,
            a.Input.CostCenter ?? (invoice.Lines.Count > 0 ? invoice.Lines[0].CostCenter : null), null, a.Input.Description), 0, a.Net, a.Tax, a.Rate)));
        var (id, docNo, voucherId) = await InsertAsync(connection, transaction, company, Return, "SRET", invoice.Customer, date, "Posted", invoice.Currency,
            invoice.ExchangeRate, invoice.TaxesIncluded, priced, total, invoice.Id, true, invoice.Warehouse, invoice.UpdateStock && returned.Exists(r => r.Restock), request.Source, request.Remarks);
        var currency = invoice.Currency;
        var rate = invoice.ExchangeRate;
        // A line the invoice credited below nothing (a free line a discount's remainder once took to -0.01) is given
        // back the other way round, as the invoice posted it.
        var gl = total == 0 ? [] : new List<VoucherLine> { new(receivable, Debit: total < 0 ? -total : 0, Credit: total > 0 ? total : 0, PartyType: "Customer", Party: invoice.Customer, Currency: currency, ExchangeRate: rate) };
        gl.AddRange(returned.Where(r => r.Net != 0).Select(r => new VoucherLine(r.Line.IncomeAccount, Debit: r.Net > 0 ? r.Net : 0, Credit: r.Net < 0 ? -r.Net : 0, CostCenter: r.Line.CostCenter, Currency: currency, ExchangeRate: rate, Remarks: r.Line.Sku)));
        gl.AddRange(priced.Skip(returned.Count).Where(l => l.Net != 0).Select(l => new VoucherLine(l.Input.IncomeAccount!, Debit: l.Net, CostCenter: l.Input.CostCenter, Currency: currency, ExchangeRate: rate, Remarks: l.Input.Description, NoStockAccount: true)));
        var tax = returned.Sum(r => r.Tax) + amounts.Sum(a => a.Tax);
        if (tax != 0)
        {
            gl.Add(new VoucherLine(outputTax, Debit: tax, Currency: currency, ExchangeRate: rate, Remarks: "VAT"));
        }

        var movements = new List<StockMovement>();
        if (invoice.UpdateStock)
        {
            // Numbered by position in the return, not by value: two equal halves of one line are two stock rows.
            var restocked = returned.Select((r, i) => (r, LineNo: i + 1)).Where(p => p.r.Restock && p.r.Line.Sku is not null && p.r.Warehouse is not null).ToList();
            // The cost goes back to the account the sale's issue debited, not to the item group's account now (an item
            // moved to another group since would leave the sale's cost on the old account and credit the new one).
            var issuedTo = restocked.Count == 0 || invoice.VoucherId is not { } invoiceVoucher ? new Dictionary<int, string>()
                : (await connection.QueryAsync<(int LineNo, string Account)>(
                    "SELECT line_no, counter_account FROM erp.stock_ledger_entry WHERE voucher_id = @invoiceVoucher AND qty_change < 0",
                    new { invoiceVoucher }, transaction)).ToDictionary(e => e.LineNo, e => e.Account);
            var items = restocked.Count == 0 ? [] : await ItemStore.SaleItemsAsync(connection, transaction, company.Id, [.. restocked.Select(p => p.r.Line.Sku!).Distinct(StringComparer.Ordinal)]);
            foreach (var (r, lineNo) in restocked)
            {
                var group = items.TryGetValue(r.Line.Sku!, out var item) ? item.Group : throw new ErpRuleException("unknown-item", $"No item '{r.Line.Sku}' in {company.Id}.");
                var cogsAccount = issuedTo.GetValueOrDefault(r.Line.LineNo) ?? group.CogsAccount
                    ?? throw new ErpRuleException("no-cogs-account", $"Item group of {r.Line.Sku} has no COGS account.");
                movements.Add(new StockMovement(lineNo, r.Line.Sku!, r.Warehouse!, r.Qty, r.Cogs / r.Qty, cogsAccount, r.Line.CostCenter, ExactValue: r.Cogs));
            }
        }

        // The credit note that clears a foreign-currency invoice takes what is left of its receivable, as a settling payment does.
        var settles = total != 0 && await ReceivableClearedAsync(connection, transaction, company, invoice.Id, invoice.Customer, receivable, currency, rate, total, invoice.Outstanding) is { } left
            ? (0, left) : ((int, decimal)?)null;
        var warnings = await StockPosting.PostAsync(connection, transaction, company, voucherId, docNo, Return, date, movements, cancellationToken, gl, settles);
        await connection.ExecuteAsync("UPDATE erp.sales_document SET voucher_id = @voucherId WHERE id = @id", new { voucherId, id }, transaction);
        await connection.ExecuteAsync("""
            UPDATE erp.sales_document SET outstanding = outstanding - @total,
                status = CASE WHEN NOT EXISTS (SELECT 1 FROM erp.sales_document_line WHERE document_id = @invoice AND returned_qty < qty) THEN 'Returned' ELSE status END
            WHERE id = @invoice
            """, new { total, invoice = invoice.Id }, transaction);
        // None of the money back (an even exchange): the note stays unpaid, so a later settlement can still record it.
        var paid = CreditPaidBack.Of(total, request.MoneyBack, CreditPaidBack.Tolerance(priced.Count));
        if (request.RefundAccount is { } refundAccount && (paid > 0 || total == 0))
        {
            await PostRefundAsync(connection, transaction, company.Id, id, docNo, invoice.Id, invoice.Customer, currency, rate,
                RefundParts.Of(refundAccount, request.RefundShares, paid, company.CurrencyPrecision), date, cancellationToken);
        }
        else if (request.MoneyBack is not null && total - paid > 0)
        {
            // Not paid back yet (the money pending, or none): what its money says the store keeps is known already.
            await connection.ExecuteAsync("UPDATE erp.sales_document SET kept_credit = @kept WHERE id = @id", new { kept = total - paid, id }, transaction);
        }

        await Outbox.AddAsync(connection, transaction, "erp.return.posted", company.Id, docNo, new { id, docNo, invoiceId = invoice.Id, total, source = request.Source });
        return (id, warnings);
    }

    /// <summary>
    /// Records the money of a posted credit note paid back from <paramref name="account"/> (a refund whose payment
    /// settled after the credit note was made), all of it or no more than <paramref name="atMost"/> (the rest stays on
    /// the customer's account). Once per credit note: Recorded is false when it was paid back already.
    /// </summary>
    public async Task<(SalesDocument Document, bool Recorded)> RecordReturnRefundAsync(
        string company, long returnId, string account, DateOnly date, CancellationToken cancellationToken, IReadOnlyList<PaymentInput>? shares = null, decimal? atMost = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, company, returnId, Return);
        var note = await GetAsync(connection, returnId, transaction);
        // Kept whole as the customer's credit (its refund failed, or an even exchange): a refund of money only pays that back, never this.
        if (note.PaymentAccount is not null
            || (note.GrandTotal != 0 && await connection.ExecuteScalarAsync<decimal>("SELECT kept_credit FROM erp.sales_document WHERE id = @returnId", new { returnId }, transaction) == note.GrandTotal))
        {
            return (note, false);
        }

        var paid = CreditPaidBack.Of(note.GrandTotal, atMost, CreditPaidBack.Tolerance(note.Lines.Count));
        if (paid <= 0 && note.GrandTotal != 0)
        {
            return (note, false);
        }

        var precision = (await CompanyStore.GetAsync(connection, company, transaction)).CurrencyPrecision;
        await PostRefundAsync(connection, transaction, company, note.Id, note.DocNo, note.AgainstId!.Value, note.Customer, note.Currency, note.ExchangeRate,
            RefundParts.Of(account, shares, paid, precision), date, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(connection, returnId, null), true);
    }

    /// <summary>
    /// The credit note's money did not go back (the store's refund transaction failed): all of it stays the customer's
    /// credit on the invoice, as the overpayment a later refund of money only pays back (the store's refund made again),
    /// instead of crediting the goods a second time. Once: Kept is false when the note's money was recorded paid back
    /// or is kept already.
    /// </summary>
    public async Task<(SalesDocument Document, bool Kept)> KeepReturnCreditAsync(string company, long returnId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, company, returnId, Return);
        var kept = await connection.ExecuteAsync(
            "UPDATE erp.sales_document SET kept_credit = grand_total WHERE id = @returnId AND payment_account IS NULL AND kept_credit <> grand_total",
            new { returnId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(connection, returnId, null), kept > 0);
    }

    // The money of a credit note paid back: receivable debited, each paying account credited its part; the return
    // remembers the first part's account, and keeps what did not go back as the customer's credit (goods returned for an
    // exchange item: it pays the order's invoices of what they took instead, or a later refund of money only pays it back).
    private static async Task PostRefundAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string company, long returnId, string docNo, long invoiceId, string customer, string currency,
        decimal rate, IReadOnlyList<(string Account, decimal Amount)> parts, DateOnly date, CancellationToken cancellationToken)
    {
        var total = parts.Sum(p => p.Amount);
        var account = parts[0].Account;
        // A credit note for nothing pays nothing back: it only remembers the account.
        if (total != 0)
        {
            var (receivable, _) = await TaxAndReceivableAccountsAsync(connection, transaction, company);
            var refundVoucher = await VoucherAsync(connection, transaction, company, Payment, docNo + "-REFUND", date);
            await LedgerPosting.PostAsync(connection, transaction, refundVoucher, docNo + "-REFUND", new Voucher(company, Payment, date,
            [
                new VoucherLine(receivable, Debit: total, PartyType: "Customer", Party: customer, Currency: currency, ExchangeRate: rate),
                .. parts.Where(p => p.Amount != 0).Select(p => new VoucherLine(p.Account, Credit: p.Amount, Currency: currency, ExchangeRate: rate)),
            ], $"Refund for {docNo}"), isReversal: false, cancellationToken);
            await connection.ExecuteAsync("UPDATE erp.sales_document SET outstanding = outstanding + @total WHERE id = @invoiceId", new { total, invoiceId }, transaction);
        }

        await connection.ExecuteAsync("UPDATE erp.sales_document SET payment_account = @account, kept_credit = grand_total - @total WHERE id = @returnId",
            new { account, total, returnId }, transaction);
    }

    // What is left on the invoice at each VAT rate the sale was taxed at (net and VAT after discounts): its income lines'
    // units not given back (this return's included), less money credited without goods before at that rate. Lines on
    // other accounts (a gift card sold, a liability) are no sale to give money back on.
    private static async Task<List<(decimal Rate, decimal Gross)>> LeftByRateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SalesDocument invoice, Dictionary<int, decimal> back, int precision)
    {
        var accounts = invoice.Lines.Select(l => l.IncomeAccount).Distinct(StringComparer.Ordinal).ToArray();
        var income = (await connection.QueryAsync<string>("SELECT id FROM erp.account WHERE company = @company AND id = ANY(@accounts) AND root_type = 'Income'",
            new { company = invoice.Company, accounts }, transaction)).ToHashSet(StringComparer.Ordinal);
        var credited = await connection.QueryAsync<(decimal Rate, decimal Net, decimal Tax)>("""
            SELECT l.tax_rate, l.net_amount, l.tax_amount FROM erp.sales_document_line l JOIN erp.sales_document r ON r.id = l.document_id
            WHERE r.against_id = @id AND r.doc_type = @Return AND l.source_line_id IS NULL
            """, new { id = invoice.Id, Return }, transaction);
        return invoice.Lines.Where(l => income.Contains(l.IncomeAccount) && l.Qty > 0)
            .Select(l => (Rate: SalesPricing.StatedRate(l.TaxRate, l.NetAmount, l.TaxAmount, precision), Gross: (l.NetAmount + l.TaxAmount) * (l.Qty - back[l.LineNo]) / l.Qty))
            .Concat(credited.Select(c => (Rate: SalesPricing.StatedRate(c.Rate, c.Net, c.Tax, precision), Gross: -(c.Net + c.Tax))))
            .GroupBy(r => r.Rate).Select(g => (Rate: g.Key, Gross: g.Sum(r => r.Gross))).Where(r => r.Gross > 0).OrderByDescending(r => r.Gross).ToList();
    }

    // An amount with its tax shared over the rates in proportion to what is left at each, to the currency's precision,
    // never more than a rate has left; the parts add up to the amount.
    private static IEnumerable<ReturnAmountInput> AsInvoiced(ReturnAmountInput a, List<(decimal Rate, decimal Gross)> left, int precision)
    {
        var parts = left.Count == 0 ? [a.Amount] : SalesPricing.Spread(a.Amount, [.. left.Select(r => r.Gross)], precision);
        // Money beyond what is left stays on the largest rate: the credit note is then refused as exceeding the invoice.
        parts[0] += a.Amount - parts.Sum();
        return parts.Select((part, i) => a with { Amount = part, TaxRate = left.Count == 0 ? 0m : left[i].Rate, Tax = null, AmountIncludesTax = true, TaxAsInvoiced = null })
            .Where(p => p.Amount > 0);
    }

    private static (ReturnAmountInput Input, decimal Net, decimal Tax, decimal Rate) ReturnAmount(ReturnAmountInput a, bool invoiceTaxesIncluded, int precision)
    {
        if (a.Amount <= 0 || string.IsNullOrEmpty(a.IncomeAccount))
        {
            throw new ErpRuleException("invalid-amount", "An amount credited is positive and names its income account.", 400);
        }

        var rate = a.TaxRate ?? SalesPricing.EgyptVat;
        var included = a.AmountIncludesTax ?? invoiceTaxesIncluded;
        if (a.Tax is { } given)
        {
            // The line's rate says what its tax is (the ETA receipt works the tax out from it): none, the VAT, or what was given.
            var beforeTax = included ? a.Amount - given : a.Amount;
            var givenRate = a.TaxRate ?? (given == 0 ? 0m : Money.Round(beforeTax * SalesPricing.EgyptVat / 100m, precision) == given ? SalesPricing.EgyptVat
                : beforeTax == 0 ? rate : Math.Round(given / beforeTax * 100m, 2));
            return (a, beforeTax, given, givenRate);
        }

        var net = included ? Money.Round(a.Amount / (1 + (rate / 100m)), precision) : a.Amount;
        return (a, net, included ? a.Amount - net : Money.Round(net * rate / 100m, precision), rate);
    }

    public Task<(SalesDocument Document, bool Existed)> CreateDeliveryAsync(DeliveryRequest request, CancellationToken cancellationToken) =>
        IdempotentAsync(request.Company, Delivery, request.Source, async (connection, transaction) =>
        {
            var company = await CompanyStore.GetAsync(connection, request.Company, transaction);
            // Locked: a cancellation committing meanwhile is seen, not shipped past.
            await connection.ExecuteAsync("SELECT 1 FROM erp.sales_document WHERE id = @DocumentId FOR UPDATE", new { request.DocumentId }, transaction);
            var of = await GetAsync(connection, request.DocumentId, transaction);
            if (of.Company != request.Company || of.DocType is not (Invoice or Order))
            {
                throw ErpRuleException.NotFound("unknown-document", $"No sales invoice or order {request.DocumentId}.");
            }

            if (of.Status is "Cancelled" or "Returned")
            {
                // The store would tell the buyer "shipped" about an order it cancelled or refunded whole.
                throw new ErpRuleException("not-deliverable", $"{of.DocType} {of.DocNo} is {of.Status}: nothing on it is left to ship.", 409);
            }

            var (id, _, _) = await InsertAsync(connection, transaction, company, Delivery, "DN", of.Customer, request.PostingDate, "Shipped", of.Currency, of.ExchangeRate,
                of.TaxesIncluded, [], 0, of.Id, false, of.Warehouse, false, request.Source, null);
            await connection.ExecuteAsync("UPDATE erp.sales_document SET carrier = @Carrier, tracking_no = @TrackingNo WHERE id = @id", new { request.Carrier, request.TrackingNo, id }, transaction);
            await Outbox.AddAsync(connection, transaction, "erp.delivery.created", company.Id, of.DocNo, new
            {
                id, documentId = of.Id, of.DocNo, request.Carrier, request.TrackingNo,
                // The store's order, also for an invoice of units an edit added (<id>:added:N) or made again (<id>:again:N).
                source = new { system = of.SourceSystem, store = of.SourceStore, id = StoreOrderId(of.SourceId) },
            });
            return (id, []);
        }, cancellationToken);

    private static string? StoreOrderId(string? sourceId)
    {
        var suffix = sourceId is null ? -1 : sourceId.IndexOf(":added", StringComparison.Ordinal);
        suffix = suffix > 0 || sourceId is null ? suffix : sourceId.IndexOf(":again:", StringComparison.Ordinal);
        return suffix > 0 ? sourceId![..suffix] : sourceId;
    }

    /// <summary>The document of a type created from a store's record (e.g. the invoice of a Shopify order), if any.</summary>
    public async Task<SalesDocument?> FindBySourceAsync(string company, string docType, DocumentSource source, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindBySourceAsync(connection, null, company, docType, source) is { } id ? await GetAsync(connection, id, null) : null;
    }

    /// <summary>The document of a type by its id in a company, if any (an ERP event names its document by id).</summary>
    public async Task<SalesDocument?> FindAsync(string company, string docType, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM erp.sales_document WHERE id = @id AND company = @company AND doc_type = @docType)", new { id, company, docType })
            ? await GetAsync(connection, id, null)
            : null;
    }

    public async Task<SalesDocument> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, id, null);
    }

    private async Task<(SalesDocument, bool)> IdempotentAsync(
        string company, string docType, DocumentSource? source,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<(long Id, IReadOnlyList<string> Warnings)>> create, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (source is not null && await FindBySourceAsync(connection, null, company, docType, source) is { } existing)
        {
            return (await GetAsync(connection, existing, null), true);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            var (id, warnings) = await create(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return (await GetAsync(connection, id, null) with { Warnings = warnings }, false);
        }
        catch (Exception ex) when (source is not null && ex is CreatedMeanwhileException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same source document was created concurrently: answer with that one.
            await transaction.RollbackAsync(cancellationToken);
            var winner = await FindBySourceAsync(connection, null, company, docType, source) ?? throw new InvalidOperationException("Lost a race to a document that is not there", ex);
            return (await GetAsync(connection, winner, null), true);
        }
    }

    /// <summary>The document of this source was created by another caller while this one waited for a lock.</summary>
    private sealed class CreatedMeanwhileException : Exception;

    // Every document made once per source looks its source up first: a source missing a part would match nothing,
    // and the unique key counts NULLs as different, so a retry would make the document again.
    private static Task<long?> FindBySourceAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string company, string docType, DocumentSource source) =>
        string.IsNullOrWhiteSpace(source.System) || string.IsNullOrWhiteSpace(source.Store) || string.IsNullOrWhiteSpace(source.Id)
            ? throw new ErpRuleException("invalid-source", $"A {docType}'s source names its system, store and id (got system '{source.System}', store '{source.Store}', id '{source.Id}'): documents are made once per source.", 400)
            : connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM erp.sales_document WHERE company = @company AND doc_type = @docType AND source_system = @System AND source_store = @Store AND source_id = @Id",
            new { company, docType, source.System, source.Store, source.Id }, transaction);

    // A document and its lines in one round trip (two statements in one batch).
    private static async Task<SalesDocument> GetAsync(NpgsqlConnection connection, long id, NpgsqlTransaction? transaction)
    {
        await using var results = await connection.QueryMultipleAsync($"""
            SELECT id AS Id, company AS Company, doc_type AS DocType, doc_no AS DocNo, customer AS Customer, posting_date AS PostingDate, status AS Status,
                   currency AS Currency, exchange_rate AS ExchangeRate, taxes_included AS TaxesIncluded, net_total AS NetTotal, tax_total AS TaxTotal,
                   grand_total AS GrandTotal, outstanding AS Outstanding, against_id AS AgainstId, voucher_id AS VoucherId, warehouse AS Warehouse,
                   update_stock AS UpdateStock, carrier AS Carrier, tracking_no AS TrackingNo, source_system AS SourceSystem, source_store AS SourceStore, source_id AS SourceId,
                   source_version AS SourceVersion, payment_account AS PaymentAccount
            FROM erp.sales_document WHERE id = @id;
            {LinesQuery}
            """, new { id }, transaction);
        var d = await results.ReadSingleOrDefaultAsync<DocRow>() ?? throw ErpRuleException.NotFound("unknown-document", $"No sales document {id}.");
        IReadOnlyList<SalesDocumentLine> lines = [.. await results.ReadAsync<SalesDocumentLine>()];
        return new SalesDocument(d.Id, d.Company, d.DocType, d.DocNo, d.Customer, d.PostingDate, d.Status, d.Currency.Trim(), d.ExchangeRate, d.TaxesIncluded,
            d.NetTotal, d.TaxTotal, d.GrandTotal, d.Outstanding, d.AgainstId, d.VoucherId, d.Warehouse, d.UpdateStock, d.Carrier, d.TrackingNo,
            d.SourceSystem, d.SourceStore, d.SourceId, lines, [], d.SourceVersion, d.PaymentAccount);
    }

    private const string LinesQuery = """
        SELECT line_no AS LineNo, sku AS Sku, description AS Description, qty AS Qty, rate AS Rate, discount_amount AS DiscountAmount,
               net_amount AS NetAmount, tax_rate AS TaxRate, tax_amount AS TaxAmount, income_account AS IncomeAccount, cost_center AS CostCenter,
               warehouse AS Warehouse, cogs_amount AS CogsAmount, returned_qty AS ReturnedQty, source_line_id AS SourceLineId
        FROM erp.sales_document_line WHERE document_id = @id ORDER BY line_no
        """;

    private static async Task<IReadOnlyList<SalesDocumentLine>> LinesAsync(NpgsqlConnection connection, long id, NpgsqlTransaction? transaction) =>
        [.. await connection.QueryAsync<SalesDocumentLine>(LinesQuery, new { id }, transaction)];

    // The document, its lines and, for a document that posts (withVoucher), its voucher: one statement.
    private static async Task<(long Id, string DocNo, long VoucherId)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, string docType, string prefix, string customer, DateOnly date,
        string status, string currency, decimal exchangeRate, bool taxesIncluded, IReadOnlyList<PricedLine> lines, decimal grand, long? againstId,
        bool withVoucher, string? warehouse, bool updateStock, DocumentSource? source, string? remarks)
    {
        var parameters = new DynamicParameters(new
        {
            company.Id, docType, prefix, customer, date, status, currency, exchangeRate, taxesIncluded, net = lines.Sum(l => l.Net), tax = lines.Sum(l => l.Tax),
            grand, againstId, warehouse, updateStock, system = source?.System, store = source?.Store, sourceId = source?.Id, remarks, withVoucher,
        });
        parameters.AddDynamicParams(LineArrays(lines));
        var (id, docNo, voucherId) = await connection.QuerySingleAsync<(long, string, long?)>($"""
            WITH next AS (SELECT nextval(pg_get_serial_sequence('erp.sales_document', 'id')) AS id),
            doc AS (
                INSERT INTO erp.sales_document (id, company, doc_type, doc_no, customer, posting_date, status, currency, exchange_rate, taxes_included,
                    net_total, tax_total, grand_total, outstanding, against_id, warehouse, update_stock, source_system, source_store, source_id, remarks)
                OVERRIDING SYSTEM VALUE
                SELECT next.id, @Id, @docType, erp.document_number(@prefix, @date::date, next.id), @customer, @date, @status,
                       @currency, @exchangeRate, @taxesIncluded, @net, @tax, @grand, 0, @againstId, @warehouse, @updateStock, @system, @store, @sourceId, @remarks
                FROM next RETURNING id, doc_no),
            line AS ({InsertLines} SELECT doc.id, l.* FROM doc, {LineValues}),
            voucher AS (
                INSERT INTO erp.voucher (company, voucher_type, voucher_no, posting_date, status, posted_at)
                SELECT @Id, @docType, doc.doc_no, @date, 'posted', now() FROM doc WHERE @withVoucher
                RETURNING id)
            SELECT doc.id, doc.doc_no, (SELECT id FROM voucher) FROM doc
            """, parameters, transaction);
        return (id, docNo, voucherId ?? 0);
    }

    private const string InsertLines = """
        INSERT INTO erp.sales_document_line (document_id, line_no, sku, description, qty, rate, discount_amount, net_amount, tax_rate, tax_amount,
            income_account, cost_center, warehouse, source_line_id)
        """;

    private const string LineValues = """
        unnest(@lineNo::int[], @sku::text[], @description::text[], @qty::numeric[], @rate::numeric[], @discount::numeric[], @lineNet::numeric[],
            @taxRate::numeric[], @lineTax::numeric[], @incomeAccount::text[], @costCenter::text[], @lineWarehouse::text[], @sourceLineId::text[]) AS l
        """;

    private static object LineArrays(IReadOnlyList<PricedLine> lines) => new
    {
        lineNo = lines.Select(l => l.LineNo).ToArray(),
        sku = lines.Select(l => l.Input.Sku).ToArray(),
        description = lines.Select(l => l.Input.Description).ToArray(),
        qty = lines.Select(l => l.Input.Qty).ToArray(),
        rate = lines.Select(l => l.Input.Rate).ToArray(),
        discount = lines.Select(l => l.Discount).ToArray(),
        lineNet = lines.Select(l => l.Net).ToArray(),
        taxRate = lines.Select(l => l.TaxRate).ToArray(),
        lineTax = lines.Select(l => l.Tax).ToArray(),
        incomeAccount = lines.Select(l => l.Input.IncomeAccount ?? "").ToArray(),
        costCenter = lines.Select(l => l.Input.CostCenter).ToArray(),
        lineWarehouse = lines.Select(l => l.Input.Warehouse).ToArray(),
        sourceLineId = lines.Select(l => l.Input.SourceLineId).ToArray(),
    };

    // All lines in one statement: a round trip per document, not per line (a sales order's lines replaced).
    private static async Task InsertLinesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, IReadOnlyList<PricedLine> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var parameters = new DynamicParameters(new { id });
        parameters.AddDynamicParams(LineArrays(lines));
        await connection.ExecuteAsync($"{InsertLines} SELECT @id, l.* FROM {LineValues}", parameters, transaction);
    }

    // Fills each line's income account, cost center and warehouse from its item group and the document; refuses held
    // items. The effective group of each SKU goes into groups when given, for the caller's stock movements.
    private static async Task<List<SalesLineInput>> ResolveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, IReadOnlyList<SalesLineInput> lines, string? warehouse, string? costCenter,
        Dictionary<string, ItemGroup>? groups = null)
    {
        if (lines.Count == 0)
        {
            throw new ErpRuleException("no-lines", "A sales document needs at least one line.", 400);
        }

        var skus = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Sku is not null)
            {
                skus.Add(line.Sku);
            }
        }

        var items = skus.Count == 0 ? null : await ItemStore.SaleItemsAsync(connection, transaction, company.Id, skus);
        var resolved = new List<SalesLineInput>(lines.Count);
        foreach (var line in lines)
        {
            if (line.Qty <= 0 || line.Rate < 0)
            {
                throw new ErpRuleException("invalid-quantity", "Sales lines have a positive quantity and a rate of zero or more.", 400);
            }

            if (line.Sku is null)
            {
                resolved.Add(line with { IncomeAccount = line.IncomeAccount ?? throw IncomeAccountRequired(line), CostCenter = line.CostCenter ?? costCenter });
                continue;
            }

            if (!items!.TryGetValue(line.Sku, out var item))
            {
                throw new ErpRuleException("unknown-item", $"No item '{line.Sku}' in {company.Id}.");
            }

            if (item.Status == Item.OnHold)
            {
                throw new ErpRuleException("item-on-hold", $"Item '{line.Sku}' is on hold and cannot be sold.");
            }

            // A template stands for its variants and holds no stock of its own: a store line that names it (a
            // WooCommerce variation without a SKU of its own shows its parent's) would sell and issue the wrong item.
            if (item.IsTemplate)
            {
                throw new ErpRuleException("template-item", $"Item '{line.Sku}' is a template of variants and cannot be sold: sell one of its variants (give the store's variation its own SKU).");
            }

            var group = item.Group;
            groups?.TryAdd(line.Sku, group);
            var lineWarehouse = item.IsStockItem ? line.Warehouse ?? warehouse ?? throw new ErpRuleException("warehouse-required", $"Line for '{line.Sku}' needs a warehouse.", 400) : null;
            resolved.Add(line with
            {
                IncomeAccount = line.IncomeAccount ?? group.IncomeAccount ?? throw new ErpRuleException("no-income-account", $"Item group '{group.Id}' has no income account."),
                CostCenter = line.CostCenter ?? costCenter ?? group.CostCenter,
                Warehouse = lineWarehouse,
            });
        }

        return resolved;
    }

    private static async Task CheckCreditLimitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string customer, decimal amount)
    {
        var (limit, open) = await connection.QuerySingleAsync<(decimal, decimal)>("""
            SELECT c.credit_limit,
                   coalesce((SELECT sum(outstanding) FROM erp.sales_document WHERE company = @company AND customer = @customer AND doc_type = 'Sales Invoice'), 0)
                 + coalesce((SELECT sum(grand_total) FROM erp.sales_document WHERE company = @company AND customer = @customer AND doc_type = 'Sales Order' AND status = 'Open'), 0)
            FROM erp.customer c WHERE c.company = @company AND c.id = @customer
            FOR UPDATE OF c
            """, new { company, customer }, transaction);
        if (limit > 0 && open + amount > limit)
        {
            throw new ErpRuleException("credit-limit-exceeded", $"Customer {customer} owes {open:0.##} with {limit:0.##} credit; {amount:0.##} more is over the limit.",
                details: new Dictionary<string, object?> { ["creditLimit"] = limit, ["open"] = open, ["amount"] = amount });
        }
    }

    private static Task ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IEnumerable<(string Sku, string Warehouse, decimal Qty)> lines, int sign) =>
        MoveReservationsAsync(connection, transaction, company, lines.Select(l => (l.Sku, l.Warehouse, sign * l.Qty)));

    // Reserved quantities moved by each delta, netted per bin and applied in one pass in SKU and warehouse order: a
    // transaction that releases some bins and takes others locks them in the same order as every other, so two never
    // wait on each other in a cycle; a bin whose reservation nets to nothing is not touched (no stock event).
    private static async Task MoveReservationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IEnumerable<(string Sku, string Warehouse, decimal Delta)> deltas)
    {
        var ordered = deltas.GroupBy(d => (d.Sku, d.Warehouse)).Select(g => (g.Key.Sku, g.Key.Warehouse, Delta: g.Sum(d => d.Delta))).Where(d => d.Delta != 0)
            .OrderBy(l => l.Sku, StringComparer.Ordinal).ThenBy(l => l.Warehouse, StringComparer.Ordinal).ToList();
        foreach (var (sku, warehouse, delta) in ordered)
        {
            var bin = await connection.QuerySingleAsync<(decimal Actual, decimal Reserved, decimal Ordered)>("""
                INSERT INTO erp.bin AS b (company, sku, warehouse, reserved_qty) VALUES (@company, @sku, @warehouse, @delta)
                ON CONFLICT (company, sku, warehouse) DO UPDATE SET reserved_qty = b.reserved_qty + @delta
                RETURNING actual_qty, reserved_qty, ordered_qty
                """, new { company, sku, warehouse, delta }, transaction);
            await Outbox.AddAsync(connection, transaction, "erp.stock.changed", company, $"{sku}@{warehouse}", new
            {
                sku, warehouse, actual = bin.Actual, projected = bin.Actual + bin.Ordered - bin.Reserved,
            });
        }

        await Reorder.ReorderCheck.RunAsync(connection, transaction, company, ordered.Select(l => (l.Sku, l.Warehouse)));
    }

    private static async Task<long> PayLockedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, long invoiceId, DateOnly date, string account, decimal amount,
        DocumentSource? source, string? reference, CancellationToken cancellationToken, string? receivable = null, bool overpaymentAsCredit = false)
    {
        var invoice = await connection.QuerySingleOrDefaultAsync<InvoiceToPay>("""
            SELECT customer AS Customer, currency AS Currency, exchange_rate AS ExchangeRate, outstanding AS Outstanding FROM erp.sales_document
            WHERE id = @invoiceId AND company = @company AND doc_type = @docType FOR UPDATE
            """, new { invoiceId, company = company.Id, docType = Invoice }, transaction)
            ?? throw ErpRuleException.NotFound("unknown-document", $"No sales invoice {invoiceId} in {company.Id}.");
        if (amount <= 0 || (amount > invoice.Outstanding && !overpaymentAsCredit))
        {
            throw new ErpRuleException("invalid-payment", $"Payment of {amount:0.##} against an outstanding {invoice.Outstanding:0.##} is not possible.");
        }

        // The ledger rounds each line to the currency; an amount finer than that would leave the invoice and its receivable a cent apart.
        if (amount != Math.Round(amount, company.CurrencyPrecision))
        {
            throw new ErpRuleException("invalid-payment", $"Payment of {amount} has more decimals than the currency's {company.CurrencyPrecision}.", 400);
        }

        receivable ??= (await TaxAndReceivableAccountsAsync(connection, transaction, company.Id)).Receivable;
        var settles = await ReceivableClearedAsync(connection, transaction, company, invoiceId, invoice.Customer, receivable, invoice.Currency, invoice.ExchangeRate, amount, invoice.Outstanding) is { } left
            ? (1, left) : ((int, decimal)?)null;
        var (id, docNo, voucherId) = await InsertAsync(connection, transaction, company, Payment, "PAY", invoice.Customer, date, "Posted", invoice.Currency.Trim(), invoice.ExchangeRate, false, [], amount,
            invoiceId, true, null, false, source, reference);
        await LedgerPosting.PostAsync(connection, transaction, voucherId, docNo, new Voucher(company.Id, Payment, date,
        [
            new VoucherLine(account, Debit: amount, Currency: invoice.Currency.Trim(), ExchangeRate: invoice.ExchangeRate),
            new VoucherLine(receivable, Credit: amount, PartyType: "Customer", Party: invoice.Customer, Currency: invoice.Currency.Trim(), ExchangeRate: invoice.ExchangeRate),
        ], reference ?? docNo), isReversal: false, cancellationToken, exact: settles);
        await connection.ExecuteAsync("""
            WITH payment AS (UPDATE erp.sales_document SET voucher_id = @voucherId WHERE id = @id)
            UPDATE erp.sales_document SET outstanding = outstanding - @amount,
                status = CASE WHEN status = 'Returned' THEN status WHEN outstanding - @amount <= 0 THEN 'Paid' ELSE 'Partly Paid' END
            WHERE id = @invoiceId
            """, new { voucherId, id, amount, invoiceId }, transaction);
        return id;
    }

    // A payment or credit note of a foreign-currency invoice that clears what is outstanding takes what is left of the
    // receivable in company currency, not its own amount converted: part payments or credit notes each converted and
    // rounded would otherwise leave a cent on the customer's account. Only within the ledger's round-off allowance of the
    // converted amount (a bigger gap is not rounding); null when it does not clear the invoice.
    private static async Task<decimal?> ReceivableClearedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Company company, long invoiceId, string customer, string receivable,
        string currency, decimal rate, decimal amount, decimal outstanding)
    {
        if (amount != outstanding || string.Equals(currency.Trim(), company.Currency, StringComparison.Ordinal))
        {
            return null;
        }

        var converted = Money.Round(amount * rate, company.CurrencyPrecision);
        return await ReceivableLeftAsync(connection, transaction, invoiceId, receivable, customer) is > 0 and var left
            && Math.Abs(left - converted) <= 5m / (decimal)Math.Pow(10, company.CurrencyPrecision) ? left : null;
    }

    // What an invoice still has on the customer's receivable in company currency: its own entry less its payments and
    // credit notes, plus the money of those paid back.
    private static Task<decimal> ReceivableLeftAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long invoiceId, string receivable, string customer) =>
        connection.ExecuteScalarAsync<decimal>("""
            SELECT coalesce(sum(g.debit - g.credit), 0) FROM erp.gl_entry g
            WHERE g.account = @receivable AND g.party = @customer AND g.voucher_id IN (
                SELECT d.voucher_id FROM erp.sales_document d WHERE (d.id = @invoiceId OR d.against_id = @invoiceId) AND d.voucher_id IS NOT NULL
                UNION ALL
                SELECT v.id FROM erp.sales_document r JOIN erp.voucher v ON v.company = r.company AND v.voucher_no = r.doc_no || '-REFUND'
                WHERE r.against_id = @invoiceId)
            """, new { invoiceId, receivable, customer }, transaction);

    private static async Task<string> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, long id, string docType) =>
        await connection.ExecuteScalarAsync<string?>(
            "SELECT status FROM erp.sales_document WHERE id = @id AND company = @company AND doc_type = @docType FOR UPDATE", new { id, company, docType }, transaction)
        ?? throw ErpRuleException.NotFound("unknown-document", $"No {docType.ToLowerInvariant()} {id} in {company}.");

    private static async Task RequireCustomerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string customer)
    {
        if (!await connection.ExecuteScalarAsync<bool>(CustomerExists, new { company, customer }, transaction))
        {
            throw UnknownCustomer(company, customer);
        }
    }

    private const string CustomerExists = "SELECT EXISTS (SELECT 1 FROM erp.customer WHERE company = @company AND id = @customer)";

    private static ErpRuleException UnknownCustomer(string company, string customer) => new("unknown-customer", $"No customer '{customer}' in {company}.");

    private static Task<long> VoucherAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, string type, string no, DateOnly date) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO erp.voucher (company, voucher_type, voucher_no, posting_date, status, posted_at) VALUES (@company, @type, @no, @date, 'posted', now()) RETURNING id",
            new { company, type, no, date }, transaction);

    // The company's own (PATCH /companies/{id}); the first of its type only when the company names none.
    private const string TaxAndReceivableAccounts = """
        SELECT coalesce(c.receivable_account,
                   (SELECT id FROM erp.account WHERE company = @company AND account_type = 'Receivable' AND NOT is_group AND NOT disabled ORDER BY id LIMIT 1)),
               coalesce(c.output_tax_account,
                   (SELECT id FROM erp.account WHERE company = @company AND account_type = 'Tax' AND root_type = 'Liability' AND NOT is_group AND NOT disabled ORDER BY id LIMIT 1))
        FROM erp.company c WHERE c.id = @company
        """;

    private static async Task<(string Receivable, string OutputTax)> TaxAndReceivableAccountsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company) =>
        await connection.QuerySingleAsync<(string, string)>(TaxAndReceivableAccounts, new { company }, transaction);

    // An invoice's company, its customer's existence and the receivable and output tax accounts: one round trip.
    private static async Task<(Company Company, string Receivable, string OutputTax)> InvoiceContextAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string companyId, string customer)
    {
        await using var results = await connection.QueryMultipleAsync($"""
            {CompanyStore.Query};
            {CustomerExists};
            {TaxAndReceivableAccounts}
            """, new { company = companyId, customer }, transaction);
        var company = (await results.ReadSingleOrDefaultAsync<CompanyStore.CompanyRow>())?.ToCompany()
            ?? throw ErpRuleException.NotFound("unknown-company", $"No company '{companyId}'.");
        if (!await results.ReadSingleAsync<bool>())
        {
            throw UnknownCustomer(companyId, customer);
        }

        var (receivable, outputTax) = await results.ReadSingleAsync<(string, string)>();
        return (company, receivable, outputTax);
    }

    // The document's currency; one other than the company's needs its rate (a USD store's order is not so many EGP).
    private static string Currency(string requested, decimal exchangeRate, Company company)
    {
        var currency = string.IsNullOrEmpty(requested) ? company.Currency : requested.ToUpperInvariant();
        LedgerPosting.RequireExchangeRate(company, currency, exchangeRate, "The document");
        return currency;
    }

    private sealed record InvoiceToPay(string Customer, string Currency, decimal ExchangeRate, decimal Outstanding);

    private sealed record DocRow(
        long Id, string Company, string DocType, string DocNo, string Customer, DateOnly PostingDate, string Status, string Currency, decimal ExchangeRate,
        bool TaxesIncluded, decimal NetTotal, decimal TaxTotal, decimal GrandTotal, decimal Outstanding, long? AgainstId, long? VoucherId, string? Warehouse,
        bool UpdateStock, string? Carrier, string? TrackingNo, string? SourceSystem, string? SourceStore, string? SourceId, string? SourceVersion, string? PaymentAccount);
}
