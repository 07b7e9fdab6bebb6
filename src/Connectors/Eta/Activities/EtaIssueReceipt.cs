using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Connectors.Eta.Canonical;
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
            new InputDescriptor("document", "Object", false, "json-editor", "The ERP sales invoice or sales return (as Erp.CreateSalesInvoice / Erp.CreateSalesReturn output it)."),
            new InputDescriptor("documents", "Object", false, "json-editor", "Instead of 'document', several (e.g. Erp.CreateSalesReturn's 'documents': a refund credited against more than one invoice): each gets its receipt, in order."),
            new InputDescriptor("buyer", "Object", false, "json-editor", "The buyer: { type P|B|F, id, name, mobileNumber }; a person with no id when empty."),
            new InputDescriptor("orderName", "String", Description: "The store's order name (sOrderNameCode), e.g. #1001."),
            new InputDescriptor("paymentMethod", "String", Description: "The ETA payment method (C, V, VO, GC, O ...), e.g. from the payment mapping; the seller's default when empty."),
        ],
        [
            new OutputDescriptor("receipt", "Object", "The receipt: id, uuid, previousUuid, state, qr ... (with 'documents': the first)."),
            new OutputDescriptor("receipts", "Object", "The receipts issued or found, in the documents' order (documents with nothing ETA is told about have none)."),
            new OutputDescriptor("existed", "Boolean", "The receipt was issued before (a redelivery); with 'documents': every one was."),
        ],
        ["Done", "NotConfigured", "NoLines"],
        Description: "Issues the ETA e-receipt of a sale or return, once per document.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        // Evaluated once each: the expressions may be scripts.
        var documents = context.HasInput("documents") && context.JsonInput("documents") is JsonArray several
            ? [.. several.OfType<JsonObject>().Select(d => d.Deserialize<ReceiptDocument>(EtaJson.Options)!)]
            : new List<ReceiptDocument> { EtaActivityJson.Read<ReceiptDocument>(context, "document") ?? throw new InvalidOperationException("Eta.IssueReceipt: 'document' is not an ERP sales document.") };
        var register = EtaActivityJson.Service<EtaReceiptRegister>(context);
        var buyer = EtaActivityJson.Read<ReceiptBuyer>(context, "buyer");
        var (orderName, paymentMethod) = (context.Input<string>("orderName"), context.Input<string>("paymentMethod"));
        var receipts = new JsonArray();
        var existedAll = true;
        foreach (var document in documents)
        {
            try
            {
                var (receipt, existed) = await register.IssueAsync(new ReceiptSource(document, buyer, orderName, paymentMethod), context.CancellationToken);
                receipts.Add(EtaActivityJson.ToNode(receipt with { Body = null }));
                existedAll &= existed;
            }
            catch (EtaSellerNotConfiguredException)
            {
                return ActivityResult.Outcome("NotConfigured");
            }
            catch (ReceiptRefusedException ex) when (ex.Code == "no-lines")
            {
                // Only gift cards sold (a prepayment), or nothing with a quantity: no receipt is due.
            }
        }

        if (receipts.Count == 0)
        {
            return ActivityResult.Outcome("NoLines");
        }

        context.SetOutput("receipt", receipts[0]!.DeepClone());
        context.SetOutput("receipts", receipts);
        context.SetOutput("existed", existedAll);
        return ActivityResult.Done;
    }
}
