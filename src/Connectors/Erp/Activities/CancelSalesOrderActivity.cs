using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CancelSalesOrder</c>: a store's order was cancelled. An open sales order is cancelled and its reservation
/// released; an invoiced one gets a credit note for everything not yet returned (stock back when <c>restock</c>,
/// the money paid back from <c>refundAccount</c> when given). Safe to repeat.
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
        ],
        [
            new OutputDescriptor("document", "Object", "The cancelled order or the credit note."),
            new OutputDescriptor("action", "String", "Cancelled, Credited, AlreadyCancelled or AlreadyCredited."),
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
        if (await documents.FindBySourceAsync(company, SalesDocuments.Invoice, source, ct) is { } invoice)
        {
            var creditSource = source with { Id = source.Id + "/cancel" };
            var credited = await documents.FindBySourceAsync(company, SalesDocuments.Return, creditSource, ct);
            var open = invoice.Lines.Where(l => l.Qty > l.ReturnedQty).ToList();
            if (credited is null && open.Count > 0)
            {
                (credited, _) = await documents.CreateReturnAsync(new SalesReturnRequest(company, invoice.Id, invoice.PostingDate,
                    [.. open.Select(l => new ReturnLineInput(l.Qty - l.ReturnedQty, LineNo: l.LineNo))],
                    context.HasInput("restock") ? context.Input<bool>("restock") : true,
                    invoice.Outstanding < invoice.GrandTotal ? context.Input<string>("refundAccount") : null, creditSource, "Order cancelled in the store"), ct);
                return Done(context, credited, "Credited");
            }

            return Done(context, credited ?? invoice, "AlreadyCredited");
        }

        if (await documents.FindBySourceAsync(company, SalesDocuments.Order, source, ct) is not { } order)
        {
            return ActivityResult.Outcome("NotFound");
        }

        return order.Status == "Open"
            ? Done(context, await documents.CancelOrderAsync(company, order.Id, ct), "Cancelled")
            : Done(context, order, "AlreadyCancelled");
    }

    private static ActivityResult Done(ActivityContext context, SalesDocument document, string action)
    {
        context.SetOutput("document", ErpJson.ToNode(document));
        context.SetOutput("action", action);
        return ActivityResult.Done;
    }
}
