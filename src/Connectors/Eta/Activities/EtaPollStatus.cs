using Integration.Connectors.Eta.Submission;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Eta.Activities;

/// <summary><c>Eta.PollStatus</c>: asks the portal for the verdict on submitted receipts and raises late ones.</summary>
internal sealed class EtaPollStatus : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Eta.PollStatus", "ETA", "Poll e-receipt status",
        [],
        [new OutputDescriptor("summary", "Object", "{ valid, invalid, pending, late, problems }")],
        ["Done"],
        Description: "Reads the status of submitted receipts until each is Valid or Invalid; Invalid ones raise eta.receipt.invalid, late ones eta.receipt.late.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var summary = await EtaActivityJson.Service<EtaSubmissions>(context).PollAsync(context.CancellationToken);
        context.SetOutput("summary", EtaActivityJson.ToNode(summary));
        return ActivityResult.Done;
    }
}
