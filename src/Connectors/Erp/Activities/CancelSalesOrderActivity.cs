using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CancelSalesOrder</c>: a store's order was cancelled. An open sales order is cancelled and its reservation
/// released; an invoiced one gets a credit note for everything not yet returned (stock back when <c>restock</c>,
/// the money paid back from <c>refundAccount</c> when given, with the customer's credit on the order: units an edit took
/// off after payment, not refunded yet). Lines one of the store's <c>refunds</c> covers are left to
/// that refund's own credit note (its money and restock are the store's word), so a cancellation and its refund credit
/// each line once in whichever order their webhooks come. Safe to repeat.
/// </summary>
internal sealed class CancelSalesOrderActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CancelSalesOrder", "ERP", "Cancel sales order",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("source", "Object", true, "json-editor", "{ system, store, id } of the store's order."),
            new InputDescriptor("restock", "Boolean", Description: "Put invoiced stock back (default true)."),
            new InputDescriptor("refundAccount", "String", Description: "The account a paid invoice's money is paid back from."),
            new InputDescriptor("postingDate", "String", Description: "When the store cancelled the order (its day as the text gives it): the credit notes' date, never before their invoice's. Default: the invoice's date."),
            new InputDescriptor("onlyOpenOrder", "Boolean",
                Description: "Cancel only an open sales order and leave an invoiced order as it is (action LeftInvoiced): for an order deleted from the store for good, whose sale and money the books keep."),
            new InputDescriptor("refunds", "Object", UiHint: "json-editor",
                Description: "The store's refunds of the order, [{ id, lines: [{ sourceLineId, qty }] }]: the lines they cover are credited by each refund, not by the cancellation."),
        ],
        [
            new OutputDescriptor("document", "Object", "The cancelled order or the credit note."),
            new OutputDescriptor("action", "String", "Cancelled, Credited, AlreadyCancelled, AlreadyCredited, LeftToRefunds (the refunds credit every line) or LeftInvoiced (onlyOpenOrder)."),
            new OutputDescriptor("documents", "Object", "The credit notes of the cancellation, made now or before: one per invoice of the order (units an edit added have their own)."),
            new OutputDescriptor("creditPaidBack", "Decimal", "The customer's credit on the order's invoices paid back with the cancellation's money (overpayment refunds, now or before)."),
        ],
        ["Done", "NotFound"],
        Description: "Cancels the ERP side of a cancelled store order.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var source = DocumentSourceInput.Read(context, "source");
        var ct = context.CancellationToken;
        // The order's invoice, and those of units an edit added after it: the rest of each is credited.
        var invoices = await documents.OrderInvoicesAsync(company, source, ct);
        if (invoices.Count > 0 && invoices[0].SourceId == source.Id && context.HasInput("onlyOpenOrder") && context.Input<bool>("onlyOpenOrder"))
        {
            // The sale stays booked, but units an edit added and the store was not paid for were only reserved: the
            // order they were held for is gone.
            await documents.ReserveEditAddedAsync(new EditAddedRequest(company, invoices[0].Id, invoices[0].PostingDate, [], source), ct);
            return Done(context, invoices[0], "LeftInvoiced");
        }

        if (invoices.Count > 0 && invoices[0].SourceId == source.Id)
        {
            // The invoices are read before the refunds' credit notes are looked for: a refund credited in between then
            // counts twice and the credit note is refused (an incident to retry), never left out with the line open for good.
            var leftToRefunds = await LeftToRefundsAsync(context, documents, invoices, source, ct);
            var results = new List<(SalesDocument? Note, string Action)>();
            foreach (var invoice in invoices)
            {
                results.Add(await CreditRestAsync(context, documents, invoice, source, leftToRefunds, ct));
            }

            context.SetOutput("creditPaidBack", await PayBackCreditAsync(context, documents, [.. invoices.Where((_, i) => results[i].Note is not null)], source, ct));

            // Units an edit added that the order was not paid for were reserved, not invoiced: the reservation goes with the order.
            await documents.ReserveEditAddedAsync(new EditAddedRequest(company, invoices[0].Id, invoices[0].PostingDate, [], source), ct);
            var notes = results.Where(r => r.Note is not null).Select(r => r.Note!).ToList();
            context.SetOutput("documents", new System.Text.Json.Nodes.JsonArray([.. notes.Select(ErpJson.ToNode)]));
            if (results.FirstOrDefault(r => r.Action == "Credited") is { Note: { } made })
            {
                return Done(context, made, "Credited");
            }

            // Credited before (a rerun): a credit note, for its receipts (issued once each); else the order's own invoice.
            return Done(context, notes.FirstOrDefault() ?? invoices[0], results[0].Action == "LeftToRefunds" ? "LeftToRefunds" : "AlreadyCredited");
        }

        if (await documents.FindBySourceAsync(company, SalesDocuments.Order, source, ct) is not { } order)
        {
            return ActivityResult.Outcome("NotFound");
        }

        if (order.Status == "Open")
        {
            try
            {
                return Done(context, await documents.CancelOrderAsync(company, order.Id, ct), "Cancelled");
            }
            catch (Integration.Erp.ErpRuleException ex) when (ex.Code == "not-open")
            {
                // Cancelled by another run meanwhile (two deliveries of the order's deletion at once): that one's.
                order = await documents.FindBySourceAsync(company, SalesDocuments.Order, source, ct) ?? order;
            }
        }

        return Done(context, order, "AlreadyCancelled");
    }

    // The credit note of what is left on one invoice of the order (once: its source is the invoice's cancellation, DocumentSource.Cancellation),
    // or the one made before; null with LeftToRefunds or Nothing when nothing is left to credit.
    private static async Task<(SalesDocument? Note, string Action)> CreditRestAsync(
        ActivityContext context, SalesDocuments documents, SalesDocument invoice, DocumentSource order, Dictionary<(long Invoice, int LineNo), decimal> leftToRefunds,
        CancellationToken ct)
    {
        var company = invoice.Company;
        var creditSource = order.CancellationOf(invoice);
        var credited = await documents.FindBySourceAsync(company, SalesDocuments.Return, creditSource, ct);
        var open = invoice.Lines
            .Select(l => (Line: l, Qty: l.Qty - l.ReturnedQty - leftToRefunds.GetValueOrDefault((invoice.Id, l.LineNo))))
            .Where(l => l.Qty > 0).ToList();
        if (credited is null && open.Count > 0)
        {
            (credited, _) = await documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, CancelledOn(context, invoice),
                [.. open.Select(l => new ReturnLineInput(l.Qty, LineNo: l.Line.LineNo))],
                context.HasInput("restock") ? context.Input<bool>("restock") : true,
                invoice.Outstanding < invoice.GrandTotal ? context.Input<string>("refundAccount") : null, creditSource, "Order cancelled in the store",
                OffsetAmountsCredited: true), ct);
            return (credited, "Credited");
        }

        return (credited, credited is not null ? "AlreadyCredited" : leftToRefunds.Keys.Any(k => k.Invoice == invoice.Id) ? "LeftToRefunds" : "Nothing");
    }

    // Dated when the store cancelled: a sale of a closed month cancelled in this one is this month's credit.
    private static DateOnly CancelledOn(ActivityContext context, SalesDocument invoice) =>
        context.HasInput("postingDate") && context.Input<string>("postingDate") is { Length: >= 10 } cancelledOn
            && PostingDateInput.Read(context, cancelledOn) is var day && day > invoice.PostingDate ? day : invoice.PostingDate;

    // The cancellation gives the money back, the customer's credit on the order included: units an edit took off after
    // payment were credited to the customer's account to wait for the store's refund, which a cancellation stands in
    // for (a refund of that money later finds the overpayment paid and the invoice credited, and posts nothing). Only
    // for an invoice the cancellation credited (one its refunds returned whole keeps the credit for the store's refund
    // of it, which finds no cancellation to stand for it). Once per invoice: the overpayment refund's source is the
    // invoice's cancellation.
    private static async Task<decimal> PayBackCreditAsync(
        ActivityContext context, SalesDocuments documents, IReadOnlyList<SalesDocument> invoices, DocumentSource order, CancellationToken ct)
    {
        if (context.Input<string>("refundAccount") is not { Length: > 0 } account)
        {
            return 0m;
        }

        var paidBack = 0m;
        foreach (var invoice in invoices)
        {
            var source = order.CancellationOf(invoice);
            if (await documents.FindBySourceAsync(invoice.Company, SalesDocuments.OverpaymentRefund, source, ct) is { } earlier)
            {
                paidBack += earlier.GrandTotal;
            }
            else if (await documents.OverpaidAsync(invoice.Company, invoice.Id, ct) is var credit and > 0)
            {
                paidBack += (await documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(invoice.Company, invoice.Id, CancelledOn(context, invoice), account, credit, source,
                    $"Order {order.Id} cancelled in the store: the customer's credit on {invoice.DocNo} paid back"), ct)).Refunded;
            }
        }

        return paidBack;
    }

    /// <summary>
    /// Per invoice line, the quantity the store's refunds give back that the invoices' returned quantities do not show:
    /// refunds not credited yet (their units taken from the oldest invoice that has them left, as their credit notes will
    /// take them; a store line split over several warehouses is several lines of an invoice), and lines a credited refund
    /// took as an amount (a shipping refund) rather than as a line.
    /// </summary>
    private static async Task<Dictionary<(long Invoice, int LineNo), decimal>> LeftToRefundsAsync(
        ActivityContext context, SalesDocuments documents, IReadOnlyList<SalesDocument> invoices, DocumentSource order, CancellationToken ct)
    {
        var left = new Dictionary<(long Invoice, int LineNo), decimal>();
        if (!context.HasInput("refunds") || ErpJson.Node(context, "refunds") is null)
        {
            return left;
        }

        foreach (var refund in ErpJson.Read<List<StoreRefund>>(context, "refunds").Where(r => !string.IsNullOrEmpty(r.Id) && r.Lines is { Count: > 0 }))
        {
            // A refund of units sold on several invoices has a credit note against each; a note's lines name the
            // invoice line they return by its number.
            var notes = await documents.RefundReturnsAsync(invoices[0].Company, order with { Id = refund.Id }, ct);
            var credited = notes.SelectMany(n => n.Lines.Select(l => (n.AgainstId, l.SourceLineId))).ToHashSet();
            foreach (var line in refund.Lines!.Where(l => !string.IsNullOrEmpty(l.SourceLineId) && l.Qty > 0))
            {
                var holders = invoices.SelectMany(i => i.Lines.Where(l => l.SourceLineId == line.SourceLineId).Select(l => (Invoice: i, Line: l))).ToList();
                if (holders.Count == 0
                    || (notes.Count > 0 && holders.Any(h => credited.Contains((h.Invoice.Id, h.Line.LineNo.ToString(System.Globalization.CultureInfo.InvariantCulture))))))
                {
                    continue;
                }

                var qty = line.Qty;
                foreach (var (invoice, invoiceLine) in notes.Count > 0 ? [] : holders)
                {
                    var take = Math.Min(qty, invoiceLine.Qty - invoiceLine.ReturnedQty - left.GetValueOrDefault((invoice.Id, invoiceLine.LineNo)));
                    if (take > 0)
                    {
                        left[(invoice.Id, invoiceLine.LineNo)] = left.GetValueOrDefault((invoice.Id, invoiceLine.LineNo)) + take;
                        qty -= take;
                    }
                }

                if (qty > 0)
                {
                    var first = (holders[0].Invoice.Id, holders[0].Line.LineNo);
                    left[first] = left.GetValueOrDefault(first) + qty;
                }
            }
        }

        return left;
    }

    private static ActivityResult Done(ActivityContext context, SalesDocument document, string action)
    {
        context.SetOutput("document", ErpJson.ToNode(document));
        context.SetOutput("action", action);
        return ActivityResult.Done;
    }
}
