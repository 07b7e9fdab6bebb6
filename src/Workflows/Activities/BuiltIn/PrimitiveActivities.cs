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

/// <summary>
/// <c>Elsa.Event</c>: as a trigger, starts a flow for each event <c>eventName</c> (ERP outbox topics) that passes its
/// optional <c>filter</c> (<see cref="Triggers.TriggerFilter"/>), with the event as <c>result</c>; reached
/// mid-flow, the run waits for that event (published by <c>Elsa.PublishEvent</c> or the ERP) and goes on with its
/// payload as <c>result</c>.
/// </summary>
internal sealed class EventActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Event", "Primitives", "Event",
        [new InputDescriptor("eventName", "String", true),
         new InputDescriptor("filter", "Object", UiHint: "json-editor", Description:
            "Only events that match start a run: an object of payload field paths and the value (or list of values) each must have ($topic, $company, $entityKey for the envelope), or a JavaScript condition with getInput('payload').")],
        [new OutputDescriptor("result", "Object")], ["Done"], IsTrigger: true);

    public override IEnumerable<(string Input, string Message)> Validate(Model.FlowActivityNode node) =>
        Triggers.TriggerFilter.Problems(node.Property("filter"), Triggers.TriggerFilter.EventEnvelope).Select(p => (p.Path.Length == 0 ? "filter" : "filter." + p.Path, "filter: " + p.Message));

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (context.State.Input.GetValueOrDefault("eventActivityId") as string == context.Node.Id)
        {
            context.SetOutput("result", context.State.Input.GetValueOrDefault("payload"));
            return ValueTask.FromResult(ActivityResult.Done);
        }

        var name = context.Input<string>("eventName") ?? throw new InvalidOperationException("Elsa.Event has no eventName");
        return ValueTask.FromResult(ActivityResult.Suspend(new Bookmark(context.Node.Id, BookmarkHash.EventBookmark(name))));
    }
}

/// <summary>
/// <c>Elsa.PublishEvent</c>: wakes the runs waiting (<c>Elsa.Event</c>) for <c>eventName</c>, only those correlated
/// with <c>correlationId</c> when it is set, handing them <c>payload</c>; output <c>result</c> = how many it woke. The
/// event is also kept in the run's output as <c>event:NAME</c>.
/// </summary>
internal sealed class PublishEventActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.PublishEvent", "Primitives", "Publish Event",
        [new InputDescriptor("eventName", "String", true), new InputDescriptor("payload", "Object"), new InputDescriptor("correlationId", "String")],
        [new OutputDescriptor("result", "Int32")], ["Done"], HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var name = context.Input<string>("eventName")!;
        var payload = context.InputValue("payload");
        context.State.Output["event:" + name] = payload;
        if (context.Services?.GetService(typeof(Execution.IFlowEvents)) is Execution.IFlowEvents events)
        {
            context.SetOutput("result", await events.PublishAsync(name, context.Input<string>("correlationId"), payload, context.CancellationToken));
        }

        return ActivityResult.Done;
    }
}
