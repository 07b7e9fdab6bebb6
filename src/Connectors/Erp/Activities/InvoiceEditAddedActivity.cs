using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.InvoiceEditAdded</c>: a store's order invoiced before an edit added units to it (more of a line, or a new
/// line). Those units are sold too: a supplementary invoice bills them (the first invoice, reported to the tax
/// authority, stays as it is), paid by what the store received for them. Once per unit, however often the edit is seen.
/// </summary>
internal sealed class InvoiceEditAddedActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.InvoiceEditAdded", "ERP", "Invoice units an edit added",
        [
            new InputDescriptor("order", "Object", true, "json-editor", "The ERP order document as mapped now (the target of the order mapping): its source finds the invoice, its lines' sourceLineId and qty say what the store sells now."),
            new InputDescriptor("payment", "Object", false, "json-editor", "{ account, received, reference }: all the store received for the order (sales and captures, before refunds) and the account it went to; what the order's invoices were not paid with pays the new invoice."),
            new InputDescriptor("postingDate", "String", Description: "The edit's date (default: today)."),
        ],
        [
            new OutputDescriptor("document", "Object", "The supplementary invoice made now or, when nothing new was added, the latest one before (for its receipt, issued once)."),
            new OutputDescriptor("documents", "Object", "Every supplementary invoice of the order, oldest first (for their receipts, each issued once: one made before may still lack it)."),
            new OutputDescriptor("created", "Boolean", "Whether units were invoiced now."),
            new OutputDescriptor("payments", "Object", "The payments made for it now: from the money received, then from the customer's credit on the first invoice."),
        ],
        ["Done", "Unchanged", "NotInvoiced"],
        Description: "Invoices the units an edit added to an invoiced order, once each; Done with the supplementary invoice (new, or the latest before); Unchanged when the order never had units added; NotInvoiced when it has no invoice.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var order = ErpJson.Read<SalesInvoiceRequest>(context, "order");
        var source = order.Source ?? throw new InvalidOperationException("Erp.InvoiceEditAdded: the order has no source (system, store, id).");
        var ct = context.CancellationToken;
        if (await documents.FindBySourceAsync(order.Company, SalesDocuments.Invoice, source, ct) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        // Evaluated once: the expression may be a script.
        var payment = context.HasInput("payment") && ErpJson.Node(context, "payment") is JsonObject given ? given.Deserialize<ReceivedPayment>(ErpJson.Options) : null;
        var posting = await documents.InvoiceEditAddedAsync(
            new EditAddedRequest(order.Company, invoice.Id, PostingDateInput.Read(context), order.Lines, source, payment, order.CostCenter), ct);
        context.SetOutput("document", ErpJson.ToNode(posting.Invoice));
        context.SetOutput("documents", new JsonArray([.. posting.Invoices.Select(ErpJson.ToNode)]));
        context.SetOutput("created", posting.Created);
        context.SetOutput("payments", new JsonArray([.. posting.Payments.Select(ErpJson.ToNode)]));
        return posting.Invoice is null ? ActivityResult.Outcome("Unchanged") : ActivityResult.Done;
    }
}
