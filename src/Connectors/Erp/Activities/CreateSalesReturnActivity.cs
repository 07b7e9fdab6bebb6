using System.Text.Json;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CreateSalesReturn</c>: a store refunded lines of an invoiced order. Posts a credit note for exactly those
/// lines and quantities (their share of income, VAT and cost), restocks when asked, and records the refund paid from
/// <c>refundAccount</c>. Amounts refunded without goods (shipping, goodwill) are credited on their income account with
/// their VAT. Once per refund (its own source). A refund made after the order's cancellation credited the whole invoice
/// is booked by that credit note (<c>CreditedByCancellation</c>): nothing more is credited, and its money is recorded
/// paid back when the cancellation left it on the customer's account.
/// </summary>
internal sealed class CreateSalesReturnActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CreateSalesReturn", "ERP", "Create sales return",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("order", "Object", true, "json-editor", "{ system, store, id } of the store's order (the invoice's source)."),
            new InputDescriptor("source", "Object", true, "json-editor", "{ system, store, id } of the refund."),
            new InputDescriptor("lines", "Object", true, "json-editor", "[{ sourceLineId, qty, restock?, restockedInStore?, warehouse? }]: the store's order line ids and quantities refunded, and whether each goes back to stock (else as restock says); or how many units of the line the store restocked over all its refunds (WooCommerce's _restock_refunded_items), of which this return restocks what the order's earlier refunds did not; and the ERP warehouse restocked units come back to (the sale's line's when absent)."),
            new InputDescriptor("amounts", "Object", Description: "[{ amount, incomeAccount, tax, taxRate (default 14), amountIncludesTax (default: as the invoice), taxAsInvoiced (the amount, tax included, shared over the invoice's VAT rates as what is left of the sale at each), description }]: amounts credited without goods."),
            new InputDescriptor("restock", "Boolean", Description: "Put the stock back (default true)."),
            new InputDescriptor("refundAccount", "String", Description: "The account the money was paid back from; none: the credit stays on the customer's account."),
            new InputDescriptor("refundShares", "Object", Description: "[{ account, amount }]: with refundAccount, when the money went back through several accounts (a gift card and a card): each credit note is paid back from them in these proportions."),
            new InputDescriptor("postingDate", "String", Description: "The refund's date (default: today)."),
            new InputDescriptor("moneyBack", "Decimal", Description: "The refund's money, when the store says (its successful and pending refund transactions): with refundAccount, no more than this of the credit notes is paid back, and the rest stays on the customer's account (goods returned for an exchange, whose value went to the new item). Without it, each credit note is paid back whole."),
            new InputDescriptor("paidBack", "Decimal", Description: "The money the refund gave back, when the store says (its successful transactions): a refund after a cancellation that left the money on the customer's account records it paid back only when this covers the cancellation's credit note."),
            RefundedOrderInvoice.WhenNotInvoiced,
        ],
        [
            new OutputDescriptor("document", "Object", "The credit note (the first, when the refund's units were sold on more than one invoice); with CreditedByCancellation, the cancellation's."),
            new OutputDescriptor("documents", "Object", "Every credit note of the refund: one per invoice that sold its units (units an edit added have their own)."),
            new OutputDescriptor("existed", "Boolean"),
        ],
        ["Done", "NoLines", "NotInvoiced", "CreditedByCancellation"],
        Description: "Posts a credit note for the refunded lines and amounts, once per refund; NoLines when there are neither; NotInvoiced (whenNotInvoiced skip) when the order was never invoiced; CreditedByCancellation when the order's cancellation credited it all before the refund came (its money recorded paid back if the cancellation left it on the customer's account).",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var orderSource = DocumentSourceInput.Read(context, "order");
        var source = DocumentSourceInput.Read(context, "source");
        var ct = context.CancellationToken;
        var lines = ErpJson.Read<List<ReturnedLine>>(context, "lines").Where(l => l.Qty > 0).ToList();
        var amounts = context.HasInput("amounts") && ErpJson.Node(context, "amounts") is System.Text.Json.Nodes.JsonArray given
            ? [.. (given.Deserialize<List<ReturnAmountInput>>(ErpJson.Options) ?? []).Where(a => a.Amount > 0)]
            : new List<ReturnAmountInput>();
        // No credit note yet: a loop's earlier refund's outputs are not this one's.
        SetOutputs(context, [], existed: false);
        if (lines.Count == 0 && amounts.Count == 0)
        {
            return ActivityResult.Outcome("NoLines");
        }

        if (await RefundedOrderInvoice.FindAsync(context, documents, company, orderSource, source) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        if (!await RefundedOrderInvoice.HoldsAllAsync(context, documents, invoice, orderSource, source, [.. lines.Select(l => l.SourceLineId).Distinct()]))
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        if (invoice.Status == "Returned" && await CancellationCoveringAsync(context, documents, invoice, orderSource, source, lines) is { } cancellation)
        {
            SetOutputs(context, [cancellation], existed: true);
            return ActivityResult.Outcome("CreditedByCancellation");
        }

        var date = PostingDateInput.Read(context);
        var returned = lines.Any(l => l.RestockedInStore is not null)
            ? Restocked(lines, await documents.RefundRestockedAsync(company, orderSource, ct))
            : [.. lines.Select(l => new ReturnLineInput(l.Qty, SourceLineId: l.SourceLineId, Restock: l.Restock, Warehouse: l.Warehouse))];
        // Units an edit added after invoicing were sold on an invoice of their own: they are credited against it.
        try
        {
            var (notes, existed) = await documents.CreateOrderReturnAsync(new SalesReturnRequest(company, invoice.Id, date, returned,
                context.HasInput("restock") ? context.Input<bool>("restock") : true, context.Input<string>("refundAccount"), source, $"Refund {source.Id}", amounts,
                RefundShares: RefundShares(context), MoneyBack: context.HasInput("moneyBack") ? context.Input<decimal?>("moneyBack") : null), orderSource, ct);
            SetOutputs(context, notes, existed);
            return ActivityResult.Done;
        }
        catch (Integration.Erp.ErpRuleException ex) when (ex.Code == "already-returned")
        {
            // The order's cancellation (Shopify sends it with its refund) credited the invoice after it was read above.
            var now = await RefundedOrderInvoice.FindAsync(context, documents, company, orderSource, source);
            if (now is not null && await CancellationCoveringAsync(context, documents, now, orderSource, source, lines) is { } cancelledSince)
            {
                SetOutputs(context, [cancelledSince], existed: true);
                return ActivityResult.Outcome("CreditedByCancellation");
            }

            throw;
        }
    }

    private static List<PaymentInput>? RefundShares(ActivityContext context) =>
        context.HasInput("refundShares") && ErpJson.Node(context, "refundShares") is System.Text.Json.Nodes.JsonArray shares
            ? shares.Deserialize<List<PaymentInput>>(ErpJson.Options) : null;

    private static void SetOutputs(ActivityContext context, IReadOnlyList<SalesDocument> notes, bool existed)
    {
        context.SetOutput("document", notes.Count == 0 ? null : ErpJson.ToNode(notes[0]));
        context.SetOutput("documents", new System.Text.Json.Nodes.JsonArray([.. notes.Select(ErpJson.ToNode)]));
        context.SetOutput("existed", existed);
    }

    // A refund first seen after the order's cancellation returned the whole invoice: the cancellation's credit note took
    // back everything left, so the refund credits nothing more. Its money: a cancellation of a paid order paid it back
    // (a WooCommerce cancellation moves no money; the ERP books it returned then). One that left it on the customer's
    // account has it paid back now, when this refund's money has gone (refundAccount), all of it (paidBack), and it
    // returns every line that note credited; otherwise (part of it, or money still pending) a person decides.
    private static async Task<SalesDocument?> CancellationCoveringAsync(
        ActivityContext context, SalesDocuments documents, SalesDocument invoice, DocumentSource order, DocumentSource refund, List<ReturnedLine> lines)
    {
        var ct = context.CancellationToken;
        if (await documents.FindBySourceAsync(invoice.Company, SalesDocuments.Return, order.CancellationOf(invoice), ct) is not { } cancellation
            || (await documents.RefundReturnsAsync(invoice.Company, refund, ct)).Count > 0)
        {
            return null;
        }

        if (cancellation.PaymentAccount is not null || cancellation.GrandTotal == 0)
        {
            return cancellation;
        }

        var refunded = lines.GroupBy(l => l.SourceLineId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(l => l.Qty), StringComparer.Ordinal);
        // Per store line: a line split over several warehouses is several lines of the invoice, and of its cancellation.
        var cancelled = cancellation.Lines.Select(n => (StoreLine: invoice.Lines.FirstOrDefault(l => l.LineNo.ToString(System.Globalization.CultureInfo.InvariantCulture) == n.SourceLineId)?.SourceLineId, n.Qty)).ToList();
        var returnsAll = cancelled.All(c => c.StoreLine is not null)
            && cancelled.GroupBy(c => c.StoreLine!, StringComparer.Ordinal).All(g => refunded.GetValueOrDefault(g.Key) >= g.Sum(c => c.Qty));
        var account = context.Input<string>("refundAccount");
        var paidBack = context.HasInput("paidBack") ? context.Input<decimal?>("paidBack") : null;
        var paidAll = paidBack is not { } money || money >= cancellation.GrandTotal - 0.005m;
        return returnsAll && paidAll && account is { Length: > 0 }
            ? (await documents.RecordReturnRefundAsync(invoice.Company, cancellation.Id, account, PostingDateInput.Read(context), ct, RefundShares(context))).Document
            : throw new Integration.Erp.ErpRuleException("refund-after-cancellation",
                $"Refund {refund.Id} of {order.System} order {order.Id} of {order.Store} came after the order's cancellation, whose credit note {cancellation.DocNo} " +
                $"({cancellation.GrandTotal:0.00}) left the money on customer {cancellation.Customer}'s account, and " +
                (!returnsAll ? "it returns only part of what that note credited: record the money it paid back by hand, then cancel this incident."
                    : account is not { Length: > 0 } ? "its money has not gone back yet (pending): retry this incident once it has."
                    : $"its successful transactions paid back {paidBack:0.00} of it: retry this incident once the rest has gone (a pending transaction), or record what was paid back by hand and cancel it."), 409);
    }

    // The store counts the units it restocked per line over all refunds, not per refund: this return restocks what its
    // count holds beyond what the order's refunds restocked before (a line split when only some of its units are).
    private static List<ReturnLineInput> Restocked(List<ReturnedLine> lines, IReadOnlyDictionary<string, decimal> restockedBefore)
    {
        var given = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var returned = new List<ReturnLineInput>();
        foreach (var line in lines)
        {
            if (line.RestockedInStore is not { } inStore)
            {
                returned.Add(new ReturnLineInput(line.Qty, SourceLineId: line.SourceLineId, Restock: line.Restock, Warehouse: line.Warehouse));
                continue;
            }

            var left = inStore - restockedBefore.GetValueOrDefault(line.SourceLineId) - given.GetValueOrDefault(line.SourceLineId);
            var restock = Math.Clamp(left, 0m, line.Qty);
            given[line.SourceLineId] = given.GetValueOrDefault(line.SourceLineId) + restock;
            if (restock > 0)
            {
                returned.Add(new ReturnLineInput(restock, SourceLineId: line.SourceLineId, Restock: true, Warehouse: line.Warehouse));
            }

            if (line.Qty - restock > 0)
            {
                returned.Add(new ReturnLineInput(line.Qty - restock, SourceLineId: line.SourceLineId, Restock: false));
            }
        }

        return returned;
    }
}
