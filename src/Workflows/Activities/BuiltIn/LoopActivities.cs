namespace Integration.Workflows.Activities.BuiltIn;

/// <summary><c>Elsa.While</c>: runs the embedded <c>body</c> while <c>condition</c> holds (or until a Break), then <c>Done</c>.</summary>
internal sealed class WhileActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.While", "Looping", "While", [new InputDescriptor("condition", "Boolean", true)], [], ["Done"]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.Node.Embedded.TryGetValue("body", out var body);
        while (FlowDecisionActivity.Truthy(context.InputValue("condition")))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (body is null)
            {
                continue;
            }

            var result = await context.RunEmbeddedAsync(body);
            if (result.Bookmark is { } bookmark)
            {
                return ActivityResult.Suspend(bookmark.InLoop(context.Node.Id, 0));
            }

            if (result.CompletesWorkflow || context.State.Status != Execution.FlowRunStatus.Running)
            {
                return result;
            }

            if (result.Outcomes.Contains("Break"))
            {
                break;
            }
        }

        return ActivityResult.Done;
    }
}

/// <summary><c>Elsa.Break</c>: leaves the innermost loop (ForEach, While); the containers in between stop too.</summary>
internal sealed class BreakActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Break", "Looping", "Break", [], [], []);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Break);
}
