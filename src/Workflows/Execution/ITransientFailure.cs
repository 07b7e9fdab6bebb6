namespace Integration.Workflows.Execution;

/// <summary>
/// An error that says whether trying again later may succeed (a store's 429 or 5xx, a timeout): a connector's
/// exception implements it, and an incident it raises is retried by the host on its own (<c>Flows:Incidents:AutoRetry</c>).
/// </summary>
public interface ITransientFailure
{
    bool IsTransient { get; }
}
