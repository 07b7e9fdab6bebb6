using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CreateSalesInvoice</c>: posts the sales invoice of a store's order (receivable, income, VAT; with
/// <c>updateStock</c> the stock issue at its valuation) and, when given, the payment taken for it. An open sales
/// order of the same source is completed by it and its reservation released. Invoice and payment are each created
/// once per store order.
/// </summary>
internal sealed class CreateSalesInvoiceActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CreateSalesInvoice", "ERP", "Create sales invoice",
        [
            new InputDescriptor("order", "Object", true, "json-editor", "The ERP order document (the target of the order mapping); source is required."),
            new InputDescriptor("updateStock", "Boolean", Description: "Issue the stock with the invoice (default true)."),
            new InputDescriptor("again", "Boolean", Description: "The store has the order active now: if its invoice was credited by the order's cancellation (a cancelled order set back to processing), the order is invoiced again, once, on '<id>:again:N' with its payment, and that invoice is the output; refused (refunded-before-cancel) when refunds were credited before the cancellation (default false)."),
            new InputDescriptor("payment", "Object", false, "json-editor", "The payment taken: { account, amount (default: all outstanding), reference }."),
            new InputDescriptor("payments", "Object", false, "json-editor", "Instead of 'payment', the payments of several accounts (a gift card and a card): [{ account, amount, reference, overpaymentAsCredit }], in order (overpaymentAsCredit: an amount above the invoice is taken, the excess the customer's credit); the first is created on the order's source, each next one on '<id>:<n>' (n from 2)."),
        ],
        [
            new OutputDescriptor("document", "Object", "The sales invoice."),
            new OutputDescriptor("payment", "Object", "The payment, when one was recorded (with 'payments': the first)."),
            new OutputDescriptor("payments", "Object", "The payments recorded, in order."),
            new OutputDescriptor("existed", "Boolean", "The invoice was created before (a redelivery)."),
        ],
        ["Done"],
        Description: "Posts a sales invoice and its payment, once per store order (a new invoice and its payments in one transaction).",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var request = ErpJson.Read<SalesInvoiceRequest>(context, "order");
        var source = request.Source ?? throw new InvalidOperationException("Erp.CreateSalesInvoice: the order has no source (system, store, id); without it a redelivery would post twice.");
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var ct = context.CancellationToken;
        if (context.HasInput("again") && context.Input<bool>("again"))
        {
            (source, var notBefore) = await documents.InvoiceSourceAsync(request.Company, source, ct);
            if (notBefore is { } credited && credited > request.PostingDate)
            {
                // Invoiced again after its cancellation: dated with or after the credit that took the goods back, not on the first payment's day.
                request = request with { PostingDate = credited };
            }
        }

        // The ERP completes the store order's open sales order itself, found under the store order's lock.
        request = request with
        {
            UpdateStock = context.HasInput("updateStock") ? context.Input<bool>("updateStock") : true,
            Source = source,
            SalesOrderId = null,
            Payment = null,
        };

        // Evaluated once each: the expressions may be scripts.
        var several = context.HasInput("payments") ? ErpJson.Node(context, "payments") as JsonArray : null;
        var one = several is { Count: > 0 } || !context.HasInput("payment") ? null : ErpJson.Node(context, "payment") as JsonObject;
        var inputs = several is { Count: > 0 } ? [.. several.OfType<JsonObject>()] : one is null ? new List<JsonObject>() : [one];
        var payments = new List<InvoicePayment>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var payment = inputs[i].Deserialize<PaymentDocument>(ErpJson.Options) ?? throw new InvalidOperationException("Erp.CreateSalesInvoice: a payment is not a payment.");
            // Each payment is unique on its own source, so a redelivery finds it instead of paying twice.
            var paymentSource = i == 0 ? source : source with { Id = $"{source.Id}:{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}" };
            payments.Add(new InvoicePayment(payment.Account, payment.Amount, paymentSource, payment.Reference, payment.PostingDate, payment.OverpaymentAsCredit));
        }

        // A new invoice and its payments commit together.
        var posting = await documents.CreateInvoiceAsync(request, payments, ct);
        context.SetOutput("document", ErpJson.ToNode(posting.Invoice));
        context.SetOutput("existed", posting.Existed);
        if (payments.Count > 0)
        {
            context.SetOutput("payment", ErpJson.ToNode(posting.Payments[0]));
            context.SetOutput("payments", new JsonArray([.. posting.Payments.Select(ErpJson.ToNode)]));
        }

        return ActivityResult.Done;
    }
}
