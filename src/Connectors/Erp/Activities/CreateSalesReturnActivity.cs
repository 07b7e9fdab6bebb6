using System.Text.Json;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.CreateSalesReturn</c>: a store refunded lines of an invoiced order. Posts a credit note for exactly those
/// lines and quantities (their share of income, VAT and cost), restocks when asked, and records the refund paid from
/// <c>refundAccount</c>. Amounts refunded without goods (shipping, goodwill) are credited on their income account with
/// their VAT. Once per refund (its own source).
/// </summary>
internal sealed class CreateSalesReturnActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.CreateSalesReturn", "ERP", "Create sales return",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("order", "Object", true, "json-editor", "{ system, store, id } of the store's order (the invoice's source)."),
            new InputDescriptor("source", "Object", true, "json-editor", "{ system, store, id } of the refund."),
            new InputDescriptor("lines", "Object", true, "json-editor", "[{ sourceLineId, qty, restock?, restockedInStore?, warehouse? }]: the store's order line ids and quantities refunded, and whether each goes back to stock (else as restock says); or how many units of the line the store restocked over all its refunds (WooCommerce's _restock_refunded_items), of which this return restocks what the order's earlier refunds did not; and the ERP warehouse restocked units come back to (the sale's line's when absent)."),
            new InputDescriptor("amounts", "Object", Description: "[{ amount, incomeAccount, tax, taxRate (default 14), amountIncludesTax (default: as the invoice), description }]: amounts credited without goods."),
            new InputDescriptor("restock", "Boolean", Description: "Put the stock back (default true)."),
            new InputDescriptor("refundAccount", "String", Description: "The account the money was paid back from; none: the credit stays on the customer's account."),
            new InputDescriptor("postingDate", "String", Description: "The refund's date (default: today)."),
            RefundedOrderInvoice.WhenNotInvoiced,
        ],
        [
            new OutputDescriptor("document", "Object", "The credit note (the first, when the refund's units were sold on more than one invoice)."),
            new OutputDescriptor("documents", "Object", "Every credit note of the refund: one per invoice that sold its units (units an edit added have their own)."),
            new OutputDescriptor("existed", "Boolean"),
        ],
        ["Done", "NoLines", "NotInvoiced"],
        Description: "Posts a credit note for the refunded lines and amounts, once per refund; NoLines when there are neither; NotInvoiced (whenNotInvoiced skip) when the order was never invoiced.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var orderSource = DocumentSourceInput.Read(context, "order");
        var source = DocumentSourceInput.Read(context, "source");
        var ct = context.CancellationToken;
        var lines = ErpJson.Read<List<ReturnedLine>>(context, "lines").Where(l => l.Qty > 0).ToList();
        var amounts = context.HasInput("amounts") && ErpJson.Node(context, "amounts") is System.Text.Json.Nodes.JsonArray given
            ? [.. (given.Deserialize<List<ReturnAmountInput>>(ErpJson.Options) ?? []).Where(a => a.Amount > 0)]
            : new List<ReturnAmountInput>();
        if (lines.Count == 0 && amounts.Count == 0)
        {
            return ActivityResult.Outcome("NoLines");
        }

        if (await RefundedOrderInvoice.FindAsync(context, documents, company, orderSource, source) is not { } invoice)
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        if (!await RefundedOrderInvoice.HoldsAllAsync(context, documents, invoice, orderSource, source, [.. lines.Select(l => l.SourceLineId).Distinct()]))
        {
            return ActivityResult.Outcome("NotInvoiced");
        }

        var date = PostingDateInput.Read(context);
        var returned = lines.Any(l => l.RestockedInStore is not null)
            ? Restocked(lines, await documents.RefundRestockedAsync(company, orderSource, ct))
            : [.. lines.Select(l => new ReturnLineInput(l.Qty, SourceLineId: l.SourceLineId, Restock: l.Restock, Warehouse: l.Warehouse))];
        // Units an edit added after invoicing were sold on an invoice of their own: they are credited against it.
        var (notes, existed) = await documents.CreateOrderReturnAsync(new SalesReturnRequest(company, invoice.Id, date, returned,
            context.HasInput("restock") ? context.Input<bool>("restock") : true, context.Input<string>("refundAccount"), source, $"Refund {source.Id}", amounts), orderSource, ct);
        context.SetOutput("document", ErpJson.ToNode(notes[0]));
        context.SetOutput("documents", new System.Text.Json.Nodes.JsonArray([.. notes.Select(ErpJson.ToNode)]));
        context.SetOutput("existed", existed);
        return ActivityResult.Done;
    }

    // The store counts the units it restocked per line over all refunds, not per refund: this return restocks what its
    // count holds beyond what the order's refunds restocked before (a line split when only some of its units are).
    private static List<ReturnLineInput> Restocked(List<ReturnedLine> lines, IReadOnlyDictionary<string, decimal> restockedBefore)
    {
        var given = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var returned = new List<ReturnLineInput>();
        foreach (var line in lines)
        {
            if (line.RestockedInStore is not { } inStore)
            {
                returned.Add(new ReturnLineInput(line.Qty, SourceLineId: line.SourceLineId, Restock: line.Restock, Warehouse: line.Warehouse));
                continue;
            }

            var left = inStore - restockedBefore.GetValueOrDefault(line.SourceLineId) - given.GetValueOrDefault(line.SourceLineId);
            var restock = Math.Clamp(left, 0m, line.Qty);
            given[line.SourceLineId] = given.GetValueOrDefault(line.SourceLineId) + restock;
            if (restock > 0)
            {
                returned.Add(new ReturnLineInput(restock, SourceLineId: line.SourceLineId, Restock: true, Warehouse: line.Warehouse));
            }

            if (line.Qty - restock > 0)
            {
                returned.Add(new ReturnLineInput(line.Qty - restock, SourceLineId: line.SourceLineId, Restock: false));
            }
        }

        return returned;
    }
}
