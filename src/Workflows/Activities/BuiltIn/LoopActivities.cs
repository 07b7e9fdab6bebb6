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

            if (await LoopBody.RunAsync(context, body, 0) is { } stop)
            {
                return stop;
            }
        }

        return ActivityResult.Done;
    }
}

/// <summary>One iteration of a loop's body, and what it means for the loop.</summary>
internal static class LoopBody
{
    /// <summary>Null to go on with the next iteration; otherwise what the loop ends with (Done after a Break).</summary>
    public static async ValueTask<ActivityResult?> RunAsync(ActivityContext context, Model.FlowActivityNode body, int index)
    {
        var incidents = context.State.Incidents.Count;
        var result = await context.RunEmbeddedAsync(body);
        // Each incident of this iteration remembers the item it failed in (a run that goes on with incidents too): a retry
        // runs it for that item and, when the run stopped there, goes on with the next one, not from the start.
        AtPosition(context.State, incidents, context.Node.Id, index);
        if (result.Bookmark is { } bookmark)
        {
            // The loop's position travels with the bookmark, so resuming goes on with the next item.
            return ActivityResult.Suspend(bookmark.InLoop(context.Node.Id, index));
        }

        if (result.CompletesWorkflow || context.State.Status != Execution.FlowRunStatus.Running)
        {
            return result;
        }

        return result.Outcomes.Contains("Break") ? ActivityResult.Done : null;
    }

    /// <summary>Gives the incidents from <paramref name="from"/> on the loop's position, where they have none for it.</summary>
    public static void AtPosition(Execution.FlowRunState state, int from, string loopId, int index)
    {
        for (var i = from; i < state.Incidents.Count; i++)
        {
            if (state.Incidents[i].Loops?.ContainsKey(loopId) != true)
            {
                state.Incidents[i] = state.Incidents[i] with
                {
                    Loops = new Dictionary<string, int>(state.Incidents[i].Loops ?? new Dictionary<string, int>(), StringComparer.Ordinal) { [loopId] = index },
                };
            }
        }
    }
}

/// <summary><c>Elsa.Break</c>: leaves the innermost loop (ForEach, While); the containers in between stop too.</summary>
internal sealed class BreakActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Break", "Looping", "Break", [], [], []);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Break);
}
