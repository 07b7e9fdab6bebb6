using Integration.Connectors.Eta.Submission;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Eta.Activities;

/// <summary><c>Eta.SubmitPending</c>: sends every receipt not yet with the portal, per device in chain order, in batches.</summary>
internal sealed class EtaSubmitPending : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Eta.SubmitPending", "ETA", "Submit pending e-receipts",
        [],
        [new OutputDescriptor("summary", "Object", "{ submitted, rejected, deferred, recovered, rechained, problems }")],
        ["Done"],
        Description: "Submits issued receipts to the ETA portal (at most 500 and 1.5 MB per batch, one device per batch); throttles and outages defer them.",
        HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var summary = await EtaActivityJson.Service<EtaSubmissions>(context).SubmitPendingAsync(context.CancellationToken);
        context.SetOutput("summary", EtaActivityJson.ToNode(summary));
        return ActivityResult.Done;
    }
}
