using Integration.Workflows.Activities.BuiltIn;

namespace Integration.Workflows.Activities;

/// <summary>The activity types a host knows: the built-in ones (Elsa's type names) and those connectors add.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, FlowActivity> _byType = new(StringComparer.Ordinal);

    public ActivityRegistry Add(FlowActivity activity)
    {
        _byType[activity.Descriptor.TypeName] = activity;
        return this;
    }

    public bool TryGet(string typeName, out FlowActivity activity) => _byType.TryGetValue(typeName, out activity!);

    public IEnumerable<ActivityDescriptor> Descriptors => _byType.Values.Select(a => a.Descriptor).OrderBy(d => d.TypeName, StringComparer.Ordinal);

    /// <summary>A registry with every built-in activity.</summary>
    public static ActivityRegistry WithBuiltIns() => new ActivityRegistry()
        .Add(new FlowchartActivity()).Add(new SequenceActivity())
        .Add(new StartActivity()).Add(new EndActivity("Elsa.End")).Add(new EndActivity("Elsa.Finish"))
        .Add(new WriteLineActivity()).Add(new SetVariableActivity()).Add(new SetOutputActivity())
        .Add(new FlowDecisionActivity()).Add(new IfActivity()).Add(new FlowSwitchActivity())
        .Add(new FlowForkActivity()).Add(new FlowJoinActivity())
        .Add(new ForEachActivity()).Add(new DelayActivity()).Add(new FaultActivity()).Add(new CorrelateActivity())
        .Add(new RunJavaScriptActivity())
        .Add(new ScheduleActivity("Elsa.Timer", "interval", "TimeSpan"))
        .Add(new ScheduleActivity("Elsa.Cron", "cronExpression", "String"))
        .Add(new ScheduleActivity("Elsa.StartAt", "dateTime", "DateTimeOffset"))
        .Add(new EventActivity())
        .Add(new SendHttpRequestActivity("Elsa.FlowSendHttpRequest", flowchart: true)).Add(new SendHttpRequestActivity("Elsa.SendHttpRequest", flowchart: false))
        .Add(new WorkflowActivity("Elsa.ExecuteWorkflow", dispatch: false)).Add(new WorkflowActivity("Elsa.DispatchWorkflow", dispatch: true))
        .Add(new SwitchActivity()).Add(new WhileActivity()).Add(new BreakActivity())
        .Add(new HttpEndpointActivity()).Add(new WriteHttpResponseActivity()).Add(new PublishEventActivity())
        .Add(new RetryIncidentsActivity());
}
