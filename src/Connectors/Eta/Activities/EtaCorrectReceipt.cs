using System.Globalization;
using Integration.Connectors.Eta.Issuing;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Eta.Activities;

/// <summary>
/// <c>Eta.CorrectReceipt</c>: issues the correction of an Invalid receipt (referenceOldUUID = its uuid), rebuilt with
/// today's seller settings. Fails, quoting ETA's errors, while nothing has changed: the incident it raises is the
/// operator's to-do, and retrying it after the fix issues the correction.
/// </summary>
internal sealed class EtaCorrectReceipt : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Eta.CorrectReceipt", "ETA", "Correct e-receipt",
        [new InputDescriptor("receiptId", "String", true, Description: "The id of the Invalid receipt (as in eta.receipt.invalid's payload).")],
        [new OutputDescriptor("receipt", "Object", "The correcting receipt.")],
        ["Done"],
        Description: "Reissues an Invalid receipt once its cause is fixed.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var id = long.Parse(context.Input<string>("receiptId") ?? throw new InvalidOperationException("Eta.CorrectReceipt: 'receiptId' is empty."), CultureInfo.InvariantCulture);
        var (receipt, _) = await EtaActivityJson.Service<EtaReceiptRegister>(context).CorrectAsync(id, null, context.CancellationToken);
        context.SetOutput("receipt", EtaActivityJson.ToNode(receipt with { Body = null }));
        return ActivityResult.Done;
    }
}
