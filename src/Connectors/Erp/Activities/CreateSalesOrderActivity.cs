using Integration.Erp;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CreateSalesOrder</c>: creates the sales order of a store's order (as an order mapping writes it: company,
/// customer, lines, warehouse, source...). Prices and taxes the lines, checks the credit limit and reserves stock;
/// the same source order again returns the first. With <c>sourceVersion</c> (the store's update time), an open sales order
/// of an edited store order follows the edit (lines, totals, reservations), once per version; with
/// <c>reopenCancelled</c>, a cancelled one the store reopened (a flow reaches this activity only when the store's order
/// is no longer cancelled) opens again and reserves anew.
/// </summary>
internal sealed class CreateSalesOrderActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CreateSalesOrder", "ERP", "Create sales order",
        [
            new InputDescriptor("order", "Object", true, "json-editor", "The ERP sales order (the target of the order mapping); source is required."),
            new InputDescriptor("sourceVersion", "String", Description: "The store order's version (its update time): a newer one brings the open sales order to the order's lines."),
            new InputDescriptor("reopenCancelled", "Boolean", Description: "A sales order cancelled earlier opens again (its lines reserved anew) when the store reopens the order, as WooCommerce does for a failed payment retried or a cancelled order set on hold. Default false."),
        ],
        [
            new OutputDescriptor("document", "Object", "The sales order."),
            new OutputDescriptor("existed", "Boolean", "It was created before (a redelivery or an edit)."),
            new OutputDescriptor("updated", "Boolean", "The open sales order was changed to this version."),
        ],
        ["Done", "Invoiced"],
        Description: "Creates a sales order, once per store order; none when the store order is invoiced already (port Invoiced).",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var request = ErpJson.Read<SalesOrderRequest>(context, "order");
        if (request.Source is null)
        {
            throw new InvalidOperationException("Erp.CreateSalesOrder: the order has no source (system, store, id); without it a redelivery would post twice.");
        }

        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        // A paid order can be invoiced before its orders/create arrives: reserving stock for it then would be wrong.
        if (await documents.FindBySourceAsync(request.Company, SalesDocuments.Invoice, request.Source, context.CancellationToken) is { } invoice)
        {
            return Invoiced(context, invoice);
        }

        var version = context.Input<string>("sourceVersion");
        SalesDocument document;
        bool existed;
        try
        {
            (document, existed) = await documents.CreateOrderAsync(request with { SourceVersion = version }, context.CancellationToken);
        }
        catch (ErpRuleException ex) when (ex.Code == "invoiced")
        {
            // Invoiced by another run since the look-up above: the ERP checks again under the store order's lock.
            return Invoiced(context, await documents.FindBySourceAsync(request.Company, SalesDocuments.Invoice, request.Source, context.CancellationToken)
                ?? throw new InvalidOperationException("The ERP said the order is invoiced, and its invoice is not there.", ex));
        }

        var updated = false;
        // An open order follows an edit; a cancelled one the store reopened is opened again where the flow says stores do.
        var reopen = context.HasInput("reopenCancelled") && context.Input<bool>("reopenCancelled");
        if (existed && version is not null && (document.Status == "Open" || (reopen && document.Status == "Cancelled")))
        {
            (document, updated) = await documents.UpdateOrderAsync(document.Id, request with { SourceVersion = version }, context.CancellationToken, reopen);
        }

        context.SetOutput("document", ErpJson.ToNode(document));
        context.SetOutput("existed", existed);
        context.SetOutput("updated", updated);
        return ActivityResult.Done;
    }

    private static ActivityResult Invoiced(ActivityContext context, SalesDocument invoice)
    {
        context.SetOutput("document", ErpJson.ToNode(invoice));
        context.SetOutput("existed", true);
        return ActivityResult.Outcome("Invoiced");
    }
}
