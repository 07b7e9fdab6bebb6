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
            // An order invoiced again after its cancellation: its refunds credit the invoice made again, not the one
            // the cancellation returned.
            return invoice.Status == "Returned"
                && await documents.CurrentInvoiceSourceAsync(company, order, context.CancellationToken) is { Id: var currentId } current && currentId != order.Id
                && await documents.FindBySourceAsync(company, SalesDocuments.Invoice, current, context.CancellationToken) is { } again
                    ? again
                    : invoice;
        }

        return NotYet(context, $"No invoice yet for {order.System} order {order.Id} of {order.Store}; the refund {refund.Id} waits for it.");
    }

    /// <summary>
    /// Whether the order's invoices hold every refunded line. When some line is on none yet (units an edit added are
    /// invoiced when the order is paid again): false to skip, else waits or fails as <c>whenNotInvoiced</c> says.
    /// </summary>
    public static async Task<bool> HoldsAllAsync(ActivityContext context, SalesDocuments documents, SalesDocument invoice, DocumentSource order, DocumentSource refund,
        IReadOnlyCollection<string> lineIds)
    {
        if (lineIds.All(id => invoice.Lines.Any(l => l.SourceLineId == id)))
        {
            return true;
        }

        var invoices = await documents.OrderInvoicesAsync(invoice.Company, order, context.CancellationToken);
        var missing = lineIds.Where(id => !invoices.Any(i => i.Lines.Any(l => l.SourceLineId == id))).ToList();
        return missing.Count == 0 || NotYet(context,
            $"No invoice yet of {string.Join(", ", missing)} of {order.System} order {order.Id} of {order.Store} (units an edit added are invoiced when the order is paid again); the refund {refund.Id} waits for it.") is not null;
    }

    private static SalesDocument? NotYet(ActivityContext context, string message) =>
        context.Input<string>("whenNotInvoiced")?.Trim().ToLowerInvariant() switch
        {
            "skip" => null,
            "fail" => throw new Integration.Erp.ErpRuleException("invoice-not-posted", message),
            _ => throw new InvoiceNotYetPostedException(message),
        };
}
