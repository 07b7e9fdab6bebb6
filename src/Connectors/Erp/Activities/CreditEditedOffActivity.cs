using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CreditEditedOff</c>: a store's order invoiced before an edit took units off it. Those units were never
/// delivered: a credit note against each invoice that sold them (the newest first) gives them back (stock too, when restocked), its money the customer's credit until the
/// store's refund pays it back (<c>Erp.RefundOverpayment</c>). Once per unit, however often the edit is seen.
/// </summary>
internal sealed class CreditEditedOffActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CreditEditedOff", "ERP", "Credit units edited off",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("order", "Object", true, "json-editor", "{ system, store, id } of the store's order (the invoice's source)."),
            new InputDescriptor("lines", "Object", true, "json-editor", "[{ sourceLineId, keptQty }]: each order line and the units the store counts on it now (sold or refunded)."),
            new InputDescriptor("restock", "Boolean", Description: "Put the units back in stock (default true: an edit restocks them)."),
            new InputDescriptor("complete", "Boolean", Description: "lines names every line the order has now: an invoiced line it leaves out was removed (a WooCommerce order drops a removed item). Default false."),
            new InputDescriptor("postingDate", "String", Description: "The edit's date (default: today)."),
        ],
        [
            new OutputDescriptor("document", "Object", "The order's newest credit note of units edited off: made now or, when nothing new was taken off, before (for its receipt, issued once)."),
            new OutputDescriptor("documents", "Object", "All the order's credit notes of units edited off, oldest first: one per invoice an edit took units off (the order's own, and those of units edits added)."),
            new OutputDescriptor("invoices", "Object", "The invoices those credit notes are against, oldest first: issue their receipts before the notes' (a return's receipt references its sale's, which an earlier run may not have issued)."),
            new OutputDescriptor("created", "Boolean", "Whether units were credited now."),
        ],
        ["Done", "Unchanged", "NotInvoiced"],
        Description: "Credits the units an edit took off an invoiced order, once each, against the invoices that sold them (its own and those of units edits added); Done with the credit notes (new, or the latest before); Unchanged when the order never had units edited off; NotInvoiced when it has no invoice.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var order = DocumentSourceInput.Read(context, "order");
        var ct = context.CancellationToken;
        if (await documents.FindBySourceAsync(company, SalesDocuments.Invoice, order, ct) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        var date = PostingDateInput.Read(context);
        var posting = await documents.CreditEditedOffAsync(new EditedOffRequest(company, invoice.Id, date, ErpJson.Read<List<EditedLine>>(context, "lines"), order,
            context.HasInput("restock") ? context.Input<bool>("restock") : true, context.HasInput("complete") && context.Input<bool>("complete")), ct);
        context.SetOutput("document", ErpJson.ToNode(posting.Document));
        context.SetOutput("documents", ErpJson.ToNode(posting.Notes));
        context.SetOutput("invoices", ErpJson.ToNode(posting.Invoices));
        context.SetOutput("created", posting.Created);
        return posting.Document is null ? ActivityResult.Outcome("Unchanged") : ActivityResult.Done;
    }
}
