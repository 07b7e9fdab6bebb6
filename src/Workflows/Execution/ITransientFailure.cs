namespace Integration.Workflows.Execution;

/// <summary>
/// An error that says whether trying again later may succeed (a store's 429 or 5xx, a timeout): a connector's
/// exception implements it, and an incident it raises is retried by the host on its own (<c>Flows:Incidents:AutoRetry</c>).
/// </summary>
public interface ITransientFailure
{
    bool IsTransient { get; }

    /// <summary>
    /// The connector's client already retried the call with back-off as far as its settings allow (or found the remote
    /// paused as down): an activity's own retries would only wait again while the events queued behind the run wait too.
    /// </summary>
    bool ClientRetriesSpent => false;
}
