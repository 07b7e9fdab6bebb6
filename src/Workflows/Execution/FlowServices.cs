using Integration.Workflows.Activities;

namespace Integration.Workflows.Execution;

/// <summary>What runs need from the host: the activity types, time, limits and the host's services (for connector activities).</summary>
public sealed class FlowServices(ActivityRegistry activities, TimeProvider time, IServiceProvider? services = null, JavaScriptLimits? javaScriptLimits = null)
{
    public ActivityRegistry Activities { get; } = activities;

    public TimeProvider Time { get; } = time;

    public IServiceProvider? Services { get; } = services;

    public JavaScriptLimits JavaScriptLimits { get; } = javaScriptLimits ?? JavaScriptLimits.Default;

    /// <summary>What the journal keeps where neither the flow nor the activity says (<c>Flows:LogPersistence</c>).</summary>
    public LogPersistenceMode DefaultLogPersistence { get; init; } = LogPersistenceMode.Include;
}
