using Integration.Workflows.Model;
using Integration.Workflows.Scheduling;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Elsa.Timer</c> (<c>interval</c>), <c>Elsa.Cron</c> (<c>cronExpression</c>) and <c>Elsa.StartAt</c>
/// (<c>dateTime</c>). As a flow's trigger, the host's scheduler starts the flow when it fires and the activity passes
/// on with the fire time as <c>result</c>; reached in the middle of a flow, it suspends the run until its next
/// occurrence, like a Delay.
/// </summary>
internal sealed class ScheduleActivity(string typeName, string input, string inputType) : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(typeName, "Scheduling", typeName[5..],
        [new InputDescriptor(input, inputType, true)], [new OutputDescriptor("result", "DateTime")], ["Done"], IsTrigger: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (context.State.Input.GetValueOrDefault("scheduledActivityId") as string == context.Node.Id)
        {
            context.SetOutput("result", context.State.Input.GetValueOrDefault("scheduledFireTime"));
            return ValueTask.FromResult(ActivityResult.Done);
        }

        var raw = context.InputValue(input);
        var schedule = FlowSchedule.Create(typeName[5..], raw is DateTimeOffset at ? at.ToString("O") : Execution.FlowRun.Convert<string>(raw) ?? "");
        var next = schedule.NextAfter(context.Time.GetUtcNow()) ?? throw new InvalidOperationException($"{typeName} '{schedule.Value}' never fires again");
        return ValueTask.FromResult(ActivityResult.Suspend(new Bookmark(context.Node.Id, typeName[5..], next)));
    }

    public override IEnumerable<(string Input, string Message)> Validate(FlowActivityNode node)
    {
        if (FlowSchedule.Of(node) is { } schedule && schedule.Problem() is { } problem)
        {
            yield return (input, $"{typeName} schedule '{schedule.Value}' is not valid: {problem}");
        }
    }
}
