namespace Integration.Workflows.Activities;

/// <summary>
/// An activity type: a stateless class that describes itself and runs one activity of a flow. Read inputs with
/// <see cref="ActivityContext.Input{T}"/>, write outputs with <see cref="ActivityContext.SetOutput"/>, and return
/// the outcome to follow (<see cref="ActivityResult.Done"/> for the usual <c>Done</c> port).
/// </summary>
public abstract class FlowActivity
{
    public abstract ActivityDescriptor Descriptor { get; }

    public abstract ValueTask<ActivityResult> ExecuteAsync(ActivityContext context);

    /// <summary>Problems with one use of this activity in a flow that the loader should report (input name, reason).</summary>
    public virtual IEnumerable<(string Input, string Message)> Validate(Model.FlowActivityNode node) => [];
}
