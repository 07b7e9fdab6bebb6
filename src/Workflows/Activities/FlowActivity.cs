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
}
