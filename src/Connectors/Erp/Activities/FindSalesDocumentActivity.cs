using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary><c>Erp.FindSalesDocument</c>: the sales order, invoice, return or payment made from a store's record (or by its ERP id), if any.</summary>
internal sealed class FindSalesDocumentActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.FindSalesDocument", "ERP", "Find sales document",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("docType", "String", true, Description: "Sales Order, Sales Invoice, Sales Return, Payment or Delivery."),
            new InputDescriptor("source", "Object", false, "json-editor", "{ system, store, id } of the store's record."),
            new InputDescriptor("documentId", "Int64", Description: "Instead of 'source', the document's ERP id (an ERP event's payload id)."),
        ],
        [new OutputDescriptor("document", "Object")],
        ["Found", "NotFound"],
        Description: "Looks up the ERP document made from a store's record.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var (company, docType) = (context.Input<string>("company")!, context.Input<string>("docType")!);
        var document = context.HasInput("documentId") && context.Input<long?>("documentId") is { } id
            ? await documents.FindAsync(company, docType, id, context.CancellationToken)
            : await documents.FindBySourceAsync(company, docType, DocumentSourceInput.Read(context, "source"), context.CancellationToken);
        context.SetOutput("document", ErpJson.ToNode(document));
        return ActivityResult.Outcome(document is null ? "NotFound" : "Found");
    }
}
