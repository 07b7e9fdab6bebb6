using Integration.Erp.Sales;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// The invoice a store's refund goes against. Stores deliver out of order: a refund may come before its order was
/// invoiced here. Waiting leaves an incident the host retries on its own; a flow that knows the order will never be
/// invoiced skips it (null); fail leaves an incident for a person.
/// </summary>
internal static class RefundedOrderInvoice
{
    public static InputDescriptor WhenNotInvoiced { get; } = new("whenNotInvoiced", "String", Description:
        "The order has no invoice yet: wait (default: an incident the host retries until it is invoiced), fail (an incident for a person) or skip (NotInvoiced: it never will be, e.g. cancelled first).");

    public static async Task<SalesDocument?> FindAsync(ActivityContext context, SalesDocuments documents, string company, DocumentSource order, DocumentSource refund)
    {
        if (await documents.FindBySourceAsync(company, SalesDocuments.Invoice, order, context.CancellationToken) is { } invoice)
        {
            return invoice;
        }

        var message = $"No invoice yet for {order.System} order {order.Id} of {order.Store}; the refund {refund.Id} waits for it.";
        return context.Input<string>("whenNotInvoiced")?.Trim().ToLowerInvariant() switch
        {
            "skip" => null,
            "fail" => throw new Integration.Erp.ErpRuleException("invoice-not-posted", message),
            _ => throw new InvoiceNotYetPostedException(message),
        };
    }
}
