namespace Integration.Workflows.Activities;

/// <summary>How an activity ended: the outcome ports to follow, or suspended on a bookmark (to be resumed later).</summary>
public sealed record ActivityResult(IReadOnlyList<string> Outcomes, Bookmark? Bookmark = null, bool CompletesWorkflow = false)
{
    public static readonly ActivityResult Done = new(["Done"]);

    /// <summary>No outcome: nothing follows (a terminal activity, or a join still waiting).</summary>
    public static readonly ActivityResult None = new([]);

    /// <summary>
    /// The activity failed and the run goes on with incidents (<c>ContinueWithIncidents</c>): nothing follows it, and the
    /// Sequence around it stops there, as in Elsa, where a failed activity never completes; a ForEach goes on with its
    /// next item. A retry of the incident goes on from the activity.
    /// </summary>
    public static readonly ActivityResult Failed = new([]);

    /// <summary>Leave the innermost loop: Sequence, Flowchart and Switch pass it up to the ForEach or While.</summary>
    public static readonly ActivityResult Break = new(["Break"]);

    /// <summary>This result is <see cref="Break"/>.</summary>
    public bool IsBreak => ReferenceEquals(this, Break);

    /// <summary>This result is <see cref="Failed"/>.</summary>
    public bool IsFailure => ReferenceEquals(this, Failed);

    /// <summary>An embedded activity ended this way stops the container around it: it suspended, finished the flow or broke out.</summary>
    public bool Interrupts => Bookmark is not null || CompletesWorkflow || IsBreak;

    public static ActivityResult Outcome(string port) => new([port]);

    public static ActivityResult Suspend(Bookmark bookmark) => new([], bookmark);
}

/// <summary>
/// Where a suspended flow waits: the activity, what resumes it (e.g. <c>Delay</c> with a time), its payload, and the
/// position of each loop (ForEach, While) it waits inside, by loop activity id.
/// </summary>
public sealed record Bookmark(string ActivityId, string Name, DateTimeOffset? ResumeAt = null, string? Payload = null, IReadOnlyDictionary<string, int>? Loops = null)
{
    public Bookmark InLoop(string loopId, int index) =>
        this with { Loops = new Dictionary<string, int>(Loops ?? new Dictionary<string, int>(), StringComparer.Ordinal) { [loopId] = index } };
}
