using Integration.Workflows.Activities;

namespace Integration.Workflows.Tests.Activities;

/// <summary>An activity that reports bad input as its Failed outcome, as the mapping activities do.</summary>
public sealed class CheckPostcode : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        TypeName: "Demo.CheckPostcode",
        Category: "Demo",
        DisplayName: "Check postcode",
        Inputs: [new InputDescriptor("postcode", "String")],
        Outputs: [],
        Ports: ["Done", "Failed"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(context.Input<string>("postcode") is { Length: 5 } ? ActivityResult.Done : ActivityResult.Outcome("Failed"));
}
