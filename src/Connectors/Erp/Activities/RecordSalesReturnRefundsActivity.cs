using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.RecordSalesReturnRefunds</c>: store refunds whose money settled after their credit note was posted (a
/// pending refund transaction that turned successful). Records each credit note's money paid back, once, and the
/// part of the refund beyond its credit notes that its order's overpayment covers; a refund without a credit note yet
/// (and no overpayment to pay back) is left for its own flow. A refund whose money failed keeps its credit notes' money
/// as the customer's credit instead.
/// </summary>
internal sealed class RecordSalesReturnRefundsActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.RecordSalesReturnRefunds", "ERP", "Record refunds paid back",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("refunds", "Object", true, "json-editor", "[{ source: { system, store, id } of the refund, refundAccount, postingDate, moneyOnly, order: { system, store, id }, amount, moneyBack }]: refunds whose money was paid back (order and amount: what is paid back beyond the credit notes, or all of a refund of money only (moneyOnly) without one, is the order's overpayment; moneyBack: all the refund's money, settled and pending, of which no more is recorded on its credit notes, the rest staying on the customer's account). { source, failed: true }: a refund none of whose money went back; its credit notes' money stays the customer's credit."),
        ],
        [
            new OutputDescriptor("recorded", "Object", "The credit note (and overpayment refund) numbers whose money was recorded now."),
            new OutputDescriptor("kept", "Object", "The credit note numbers whose money is now kept as the customer's credit (their refund failed)."),
            new OutputDescriptor("waiting", "Object", "The refund ids without a credit note yet."),
        ],
        ["Done"],
        Description: "Records the money paid back of posted credit notes, once each.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var ct = context.CancellationToken;
        var recorded = new List<string>();
        var waiting = new List<string>();
        var kept = new List<string>();
        foreach (var refund in ErpJson.Read<List<SettledRefund>>(context, "refunds"))
        {
            // A refund of units sold on more than one invoice has a credit note against each.
            var notes = await documents.RefundReturnsAsync(company, refund.Source, ct);
            if (refund.Failed)
            {
                foreach (var each in notes)
                {
                    if ((await documents.KeepReturnCreditAsync(company, each.Id, ct)).Kept)
                    {
                        kept.Add(each.DocNo);
                    }
                }

                continue;
            }

            var date = PostingDateInput.Read(context, refund.PostingDate);
            var account = refund.RefundAccount ?? throw new InvalidOperationException($"Erp.RecordSalesReturnRefunds: refund {refund.Source.Id} names no refundAccount.");
            // The refund's money, as far as it goes (an exchange keeps the rest of the goods' value on the customer's account).
            var moneyLeft = refund.MoneyBack;
            foreach (var each in notes)
            {
                if ((await documents.RecordReturnRefundAsync(company, each.Id, account, date, ct, atMost: moneyLeft)).Recorded)
                {
                    recorded.Add(each.DocNo);
                }

                moneyLeft = moneyLeft is { } left ? Math.Max(0, left - each.GrandTotal) : null;
            }

            // Money given back beyond what its credit notes credit is the order's overpayment paid back: a refund of money
            // only, or a return that also gives back what an edit took off a paid order (settled later, its overpayment
            // part was not paid back when the return was credited). Capped at what the order was overpaid, once per refund.
            // A return not credited yet is its own flow's to credit: none of its money is taken for an overpayment.
            var overpayment = notes.Count > 0 ? refund.Amount - notes.Sum(n => n.GrandTotal) : refund.MoneyOnly ? refund.Amount : 0;
            if (overpayment > 0 && refund.Order is { } order && await documents.FindBySourceAsync(company, SalesDocuments.Invoice, order, ct) is { } invoice)
            {
                var (paidBack, _, existed) = await documents.RefundOverpaymentAsync(
                    new OverpaymentRefundRequest(company, invoice.Id, date, account, overpayment, refund.Source, $"Refund {refund.Source.Id}: overpayment of {invoice.DocNo} paid back"), ct);
                if (paidBack is not null)
                {
                    if (!existed)
                    {
                        recorded.Add(paidBack.DocNo);
                    }

                    continue;
                }
            }

            if (notes.Count == 0)
            {
                waiting.Add(refund.Source.Id);
            }
        }

        context.SetOutput("recorded", ErpJson.ToNode(recorded));
        context.SetOutput("waiting", ErpJson.ToNode(waiting));
        context.SetOutput("kept", ErpJson.ToNode(kept));
        return ActivityResult.Done;
    }
}
