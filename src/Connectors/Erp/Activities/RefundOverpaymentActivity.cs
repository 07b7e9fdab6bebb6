using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.RefundOverpayment</c>: money a store refunded without goods, paid back first out of what the order's
/// invoice was overpaid (an order edited down after it was paid: the difference goes back, nothing sold is credited).
/// Pays back once per refund when the money has gone (refundAccount given); says how much of the amount the
/// overpayment covers and what is left for a credit note.
/// </summary>
internal sealed class RefundOverpaymentActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.RefundOverpayment", "ERP", "Refund overpayment",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("order", "Object", true, "json-editor", "{ system, store, id } of the store's order (the invoice's source)."),
            new InputDescriptor("source", "Object", true, "json-editor", "{ system, store, id } of the refund."),
            new InputDescriptor("amount", "Decimal", true, Description: "The money refunded without goods (0: nothing to do)."),
            new InputDescriptor("refundAccount", "String", Description: "The account the money was paid back from; none (not settled yet): nothing is recorded, covered still says how much is the overpayment's."),
            new InputDescriptor("postingDate", "String", Description: "The refund's date (default: today)."),
            RefundedOrderInvoice.WhenNotInvoiced,
        ],
        [
            new OutputDescriptor("document", "Object", "The overpayment refund, when one was recorded (now or before)."),
            new OutputDescriptor("covered", "Decimal", "How much of the amount the invoice's overpayment covers."),
            new OutputDescriptor("rest", "Decimal", "The amount less what is covered: money given back beyond what was paid, for a credit note."),
        ],
        ["Done", "NotInvoiced"],
        Description: "Pays a refund back out of the invoice's overpayment, once per refund; the rest is left for a credit note.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var amount = context.Input<decimal>("amount");
        if (amount <= 0)
        {
            SetOutputs(context, null, 0m, 0m);
            return ActivityResult.Done;
        }

        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var source = DocumentSourceInput.Read(context, "source");
        var ct = context.CancellationToken;
        if (await RefundedOrderInvoice.FindAsync(context, documents, company, DocumentSourceInput.Read(context, "order"), source) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        // Paid back before (a redelivery, or the settlement came first): that is what it covered.
        if (await documents.FindBySourceAsync(company, SalesDocuments.OverpaymentRefund, source, ct) is { } earlier)
        {
            SetOutputs(context, earlier, earlier.GrandTotal, amount - earlier.GrandTotal);
            return ActivityResult.Done;
        }

        // Credited before (the refund's money beyond its goods went into its credit note, nothing being overpaid then): an
        // overpayment an edit made later is not this refund's to pay back, or the money would go back twice.
        if ((await documents.RefundReturnsAsync(company, source, ct)).Count > 0)
        {
            SetOutputs(context, null, 0m, amount);
            return ActivityResult.Done;
        }

        if (context.Input<string>("refundAccount") is not { Length: > 0 } account)
        {
            var covered = Math.Min(amount, await documents.OverpaidAsync(company, invoice.Id, ct));
            SetOutputs(context, null, covered, amount - covered);
            return ActivityResult.Done;
        }

        var date = PostingDateInput.Read(context);
        var (document, refunded, _) = await documents.RefundOverpaymentAsync(
            new OverpaymentRefundRequest(company, invoice.Id, date, account, amount, source, $"Refund {source.Id}: overpayment of {invoice.DocNo} paid back"), ct);
        SetOutputs(context, document, refunded, amount - refunded);
        return ActivityResult.Done;
    }

    private static void SetOutputs(ActivityContext context, SalesDocument? document, decimal covered, decimal rest)
    {
        context.SetOutput("document", ErpJson.ToNode(document));
        context.SetOutput("covered", covered);
        context.SetOutput("rest", rest);
    }
}
