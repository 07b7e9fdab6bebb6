using System.Globalization;
using Integration.Erp.Sales;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Erp.Activities;

/// <summary>
/// <c>Erp.RecordSalesReturnRefunds</c>: store refunds whose money settled after their credit note was posted (a
/// pending refund transaction that turned successful). Records each credit note's money paid back, once; a refund
/// without a credit note yet is left for its own flow.
/// </summary>
internal sealed class RecordSalesReturnRefundsActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Erp.RecordSalesReturnRefunds", "ERP", "Record refunds paid back",
        [
            new InputDescriptor("company", "String", true),
            new InputDescriptor("refunds", "Object", true, "json-editor", "[{ source: { system, store, id } of the refund, refundAccount, postingDate }]: refunds whose money was paid back."),
        ],
        [
            new OutputDescriptor("recorded", "Object", "The credit note numbers whose refund was recorded now."),
            new OutputDescriptor("waiting", "Object", "The refund ids without a credit note yet."),
        ],
        ["Done"],
        Description: "Records the money paid back of posted credit notes, once each.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var documents = context.Services!.GetRequiredService<SalesDocuments>();
        var company = context.Input<string>("company")!;
        var ct = context.CancellationToken;
        var recorded = new List<string>();
        var waiting = new List<string>();
        foreach (var refund in ErpJson.Read<List<SettledRefund>>(context, "refunds"))
        {
            if (await documents.FindBySourceAsync(company, SalesDocuments.Return, refund.Source, ct) is not { } note)
            {
                waiting.Add(refund.Source.Id);
                continue;
            }

            var date = refund.PostingDate is { Length: >= 10 } text ? DateOnly.Parse(text[..10], CultureInfo.InvariantCulture) : DateOnly.FromDateTime(context.Time.GetUtcNow().UtcDateTime);
            var (_, now) = await documents.RecordReturnRefundAsync(company, note.Id, refund.RefundAccount, date, ct);
            if (now)
            {
                recorded.Add(note.DocNo);
            }
        }

        context.SetOutput("recorded", ErpJson.ToNode(recorded));
        context.SetOutput("waiting", ErpJson.ToNode(waiting));
        return ActivityResult.Done;
    }
}
