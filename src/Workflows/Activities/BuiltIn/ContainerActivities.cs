namespace Integration.Workflows.Activities.BuiltIn;

/// <summary><c>Elsa.Flowchart</c>: activities joined by connections from outcome ports.</summary>
internal sealed class FlowchartActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Flowchart", "Flow", "Flowchart", [], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => context.RunEmbeddedAsync(context.Node);
}

/// <summary><c>Elsa.Sequence</c>: its activities one after the other.</summary>
internal sealed class SequenceActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Sequence", "Flow", "Sequence", [], [], ["Done"]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        foreach (var child in context.Node.Children)
        {
            var result = await context.RunEmbeddedAsync(child);
            if (context.Stops(result) || result.IsFailure)
            {
                return result;
            }
        }

        return ActivityResult.Done;
    }
}
