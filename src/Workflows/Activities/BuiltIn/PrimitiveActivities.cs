using System.Text.Json.Nodes;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary><c>Elsa.Start</c>: where the flow begins.</summary>
internal sealed class StartActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Start", "Flow", "Start", [], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done);
}

/// <summary><c>Elsa.End</c> and <c>Elsa.Finish</c>: the flow is finished, whatever else was pending.</summary>
internal sealed class EndActivity(string typeName) : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(typeName, "Flow", typeName[5..], [], [], []);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(new ActivityResult([], CompletesWorkflow: true));
}

/// <summary><c>Elsa.WriteLine</c>: writes <c>text</c> to the run's console (and the host's log).</summary>
internal sealed class WriteLineActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.WriteLine", "Primitives", "Write Line", [new InputDescriptor("text", "String")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.WriteLine(context.Input<string>("text") ?? "");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.SetVariable</c>: <c>variable</c> (a reference to a flow variable) takes <c>value</c>.</summary>
internal sealed class SetVariableActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.SetVariable", "Primitives", "Set Variable",
        [new InputDescriptor("variable", "Variable", true, "variable-picker"), new InputDescriptor("value", "Object", false, "multiline")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var reference = context.Node.Property("variable") as JsonObject;
        var name = reference?["name"]?.GetValue<string>() ?? reference?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException("SetVariable has no variable");
        var declared = context.Run.Definition.Variables.FirstOrDefault(v => v.Name == name || v.Id == name);
        context.SetVariable(declared?.Name ?? name, context.InputValue("value"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.SetOutput</c>: sets a workflow output (<c>outputName</c>) to <c>outputValue</c>.</summary>
internal sealed class SetOutputActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.SetOutput", "Primitives", "Set Output",
        [new InputDescriptor("outputName", "String", true), new InputDescriptor("outputValue", "Object")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.State.Output[context.Input<string>("outputName") ?? "output"] = context.InputValue("outputValue");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.Correlate</c>: sets the run's correlation id (an order id, say), by which it can be found and resumed.</summary>
internal sealed class CorrelateActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Correlate", "Primitives", "Correlate", [new InputDescriptor("correlationId", "String", true)], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.State.CorrelationId = context.Input<string>("correlationId");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.Fault</c>: fails the flow with <c>message</c> (and <c>code</c>), which becomes an incident.</summary>
internal sealed class FaultActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Fault", "Primitives", "Fault",
        [new InputDescriptor("message", "String"), new InputDescriptor("code", "String"), new InputDescriptor("category", "String")], [], []);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        throw new FlowFaultException(context.Input<string>("code"), context.Input<string>("message") ?? "Fault");
}

/// <summary>Raised by <c>Elsa.Fault</c>.</summary>
public sealed class FlowFaultException(string? code, string message) : Exception(message)
{
    public string? Code { get; } = code;
}

/// <summary><c>Elsa.Delay</c>: the flow waits for <c>timeSpan</c>; it is suspended on a bookmark and resumed when the time comes.</summary>
internal sealed class DelayActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Delay", "Scheduling", "Delay", [new InputDescriptor("timeSpan", "TimeSpan", true)], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Suspend(new Bookmark(context.Node.Id, "Delay", context.Time.GetUtcNow() + context.Input<TimeSpan>("timeSpan"))));
}

/// <summary>Trigger activities (Timer, Cron, StartAt, Event): they start a flow; run in a flow they pass straight on.</summary>
internal sealed class TriggerActivity(string typeName, string category, IReadOnlyList<InputDescriptor> inputs) : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(typeName, category, typeName[5..], inputs, [new OutputDescriptor("result", "Object")], ["Done"], IsTrigger: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.SetOutput("result", context.State.Input.GetValueOrDefault("payload"));
        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.PublishEvent</c>: records an event (name, payload) for event-triggered flows.</summary>
internal sealed class PublishEventActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.PublishEvent", "Primitives", "Publish Event",
        [new InputDescriptor("eventName", "String", true), new InputDescriptor("payload", "Object"), new InputDescriptor("correlationId", "String")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        context.State.Output["event:" + context.Input<string>("eventName")] = context.InputValue("payload");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
