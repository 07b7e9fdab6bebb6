using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.ReserveEditAdded</c>: a store's order invoiced before an edit added units to it, and not paid for them yet
/// (the store awaits the balance). The store counts those units as sold already; the ERP reserves them on a sales order
/// until <c>Erp.InvoiceEditAdded</c> invoices them when the order is paid (that invoice completes the reservation), so
/// the stock the ERP offers the stores does not offer them again. Follows each edit; released when none are left.
/// </summary>
internal sealed class ReserveEditAddedActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.ReserveEditAdded", "ERP", "Reserve units an edit added",
        [
            new InputDescriptor("order", "Object", true, "json-editor", "The ERP order document as mapped now (the target of the order mapping): its source finds the invoice, its lines' sourceLineId and qty say what the store sells now."),
            new InputDescriptor("postingDate", "String", Description: "The edit's date (default: today)."),
        ],
        [
            new OutputDescriptor("document", "Object", "The reservation: a sales order of the units beyond the order's invoices (source the order's, suffixed :added:N); null when there never was one."),
            new OutputDescriptor("changed", "Boolean", "Whether this run made, changed or released it."),
        ],
        ["Done", "Unchanged", "NotInvoiced"],
        Description: "Reserves the units an edit added to an invoiced order until it is paid for them; Done while units are reserved, Unchanged when there are none; NotInvoiced when the order has no invoice.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var order = ErpJson.Read<SalesInvoiceRequest>(context, "order");
        var source = order.Source ?? throw new InvalidOperationException("Erp.ReserveEditAdded: the order has no source (system, store, id).");
        var ct = context.CancellationToken;
        if (await documents.FindBySourceAsync(order.Company, SalesDocuments.Invoice, source, ct) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        var (reservation, changed) = await documents.ReserveEditAddedAsync(
            new EditAddedRequest(order.Company, invoice.Id, PostingDateInput.Read(context), order.Lines, source, CostCenter: order.CostCenter), ct);
        context.SetOutput("document", ErpJson.ToNode(reservation));
        context.SetOutput("changed", changed);
        return reservation is { Status: "Open" } ? ActivityResult.Done : ActivityResult.Outcome("Unchanged");
    }
}
