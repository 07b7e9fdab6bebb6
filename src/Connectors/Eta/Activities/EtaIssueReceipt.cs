using Integration.Connectors.Eta.Issuing;
using Integration.Connectors.Eta.Receipts;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Eta.Activities;

/// <summary>
/// <c>Eta.IssueReceipt</c>: issues the e-receipt of a posted sales invoice (type s) or sales return (type r, referencing
/// the sale's receipt), chained on the store's POS device and frozen as it will be sent. Once per document: a second
/// call returns the first receipt. <c>NotConfigured</c> when no ETA seller issues the store's receipts; <c>NoLines</c> when the document sells nothing ETA is told about (only gift cards sold).
/// </summary>
internal sealed class EtaIssueReceipt : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Eta.IssueReceipt", "ETA", "Issue e-receipt",
        [
            new InputDescriptor("document", "Object", true, "json-editor", "The ERP sales invoice or sales return (as Erp.CreateSalesInvoice / Erp.CreateSalesReturn output it)."),
            new InputDescriptor("buyer", "Object", false, "json-editor", "The buyer: { type P|B|F, id, name, mobileNumber }; a person with no id when empty."),
            new InputDescriptor("orderName", "String", Description: "The store's order name (sOrderNameCode), e.g. #1001."),
            new InputDescriptor("paymentMethod", "String", Description: "The ETA payment method (C, V, VO, GC, O ...), e.g. from the payment mapping; the seller's default when empty."),
        ],
        [
            new OutputDescriptor("receipt", "Object", "The receipt: id, uuid, previousUuid, state, qr ..."),
            new OutputDescriptor("existed", "Boolean", "The receipt was issued before (a redelivery)."),
        ],
        ["Done", "NotConfigured", "NoLines"],
        Description: "Issues the ETA e-receipt of a sale or return, once per document.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var document = EtaActivityJson.Read<ReceiptDocument>(context, "document")
            ?? throw new InvalidOperationException("Eta.IssueReceipt: 'document' is not an ERP sales document.");
        var register = EtaActivityJson.Service<EtaReceiptRegister>(context);
        var source = new ReceiptSource(document, EtaActivityJson.Read<ReceiptBuyer>(context, "buyer"), context.Input<string>("orderName"), context.Input<string>("paymentMethod"));
        try
        {
            var (receipt, existed) = await register.IssueAsync(source, context.CancellationToken);
            context.SetOutput("receipt", EtaActivityJson.ToNode(receipt with { Body = null }));
            context.SetOutput("existed", existed);
            return ActivityResult.Done;
        }
        catch (EtaSellerNotConfiguredException)
        {
            return ActivityResult.Outcome("NotConfigured");
        }
        catch (ReceiptRefusedException ex) when (ex.Code == "no-lines")
        {
            // Only gift cards sold (a prepayment), or nothing with a quantity: no receipt is due.
            return ActivityResult.Outcome("NoLines");
        }
    }
}
