using Integration.Workflows.Activities;

namespace Integration.Workflows.Tests.Activities;

/// <summary>The custom activity of docs/writing-activities.md, verbatim: greets a customer by name.</summary>
public sealed class GreetCustomer : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        TypeName: "Demo.GreetCustomer",
        Category: "Demo",
        DisplayName: "Greet customer",
        Inputs: [new InputDescriptor("customerName", "String", Required: true), new InputDescriptor("vip", "Boolean")],
        Outputs: [new OutputDescriptor("greeting", "String")],
        Ports: ["Done", "VIP"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var name = context.Input<string>("customerName");
        var vip = context.Input<bool>("vip");
        context.SetOutput("greeting", vip ? $"Welcome back, {name}!" : $"Hello, {name}.");
        return ValueTask.FromResult(vip ? ActivityResult.Outcome("VIP") : ActivityResult.Done);
    }
}
