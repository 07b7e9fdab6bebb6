using System.Text.Json.Serialization;
using Integration.Workflows.Activities;

namespace Integration.Workflows.Execution;

/// <summary>The state of one run of a flow: variables, inputs and outputs, what happened (journal), and why it stopped.</summary>
public sealed class FlowRunState
{
    public string InstanceId { get; init; } = Guid.NewGuid().ToString("N");

    public string? CorrelationId { get; set; }

    public Dictionary<string, object?> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables kept in memory only: left out when the run is saved.</summary>
    internal IReadOnlySet<string>? InMemoryVariables { get; set; }

    public Dictionary<string, object?> Input { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, object?> Output { get; } = new(StringComparer.Ordinal);

    /// <summary>Outputs of each activity that ran, by activity id, then output name.</summary>
    public Dictionary<string, Dictionary<string, object?>> ActivityOutputs { get; } = new(StringComparer.Ordinal);

    public object? LastResult { get; set; }

    public List<JournalEntry> Journal { get; } = [];

    public List<string> Console { get; } = [];

    public List<Incident> Incidents { get; } = [];

    public List<Bookmark> Bookmarks { get; } = [];

    /// <summary>What a <c>WriteHttpResponse</c> answered, for HTTP-triggered flows.</summary>
    public HttpResponseRecord? HttpResponse { get; set; }

    public FlowRunStatus Status { get; set; } = FlowRunStatus.Running;

    /// <summary>Journal entries kept per run; older ones are dropped (counted) so a long loop cannot bloat it.</summary>
    public int JournalLimit { get; init; } = 1000;

    public int JournalDropped { get; set; }

    /// <summary>Where a run checkpointed in flight goes on from (null when it is not in flight).</summary>
    public ResumePoint? Resume { get; set; }

    /// <summary>How many of <see cref="Incidents"/> are already stored (a resumed run adds only new ones).</summary>
    public int IncidentsSaved { get; set; }

    /// <summary>Incidents stored by earlier sessions of a resumed or retried run (not in <see cref="Incidents"/>).</summary>
    public int IncidentsBefore { get; set; }

    /// <summary>How many of <see cref="Journal"/>'s entries have had their large values stored apart.</summary>
    public int JournalSaved { get; set; }
}

public enum FlowRunStatus
{
    Running,
    Finished,
    Suspended,
    Faulted,
}

/// <summary>
/// One executed activity: which, its outcome(s), how long it took, and the inputs it evaluated and outputs it set
/// (large values are stored apart when the run is saved, and referenced).
/// </summary>
public sealed record JournalEntry(
    string ActivityId, string ActivityType, string? Name, IReadOnlyList<string> Outcomes, double Microseconds, string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, object?>? Inputs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, object?>? Outputs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes = null);

/// <summary>
/// An activity that failed: which, with what error and input, on which attempt, whether trying later may pass, and
/// for one in a loop's body, the item each loop around it was at (loop id to index), so a retry goes on from there.
/// </summary>
public sealed record Incident(
    string ActivityId, string ActivityType, string Message, string? ExceptionType, int Attempt, IReadOnlyDictionary<string, object?>? Input = null, bool Transient = false,
    IReadOnlyDictionary<string, int>? Loops = null);

/// <summary>
/// A run's place in its root flowchart after an activity with an external effect: the activities queued to run next
/// and, per FlowJoin, the branches that already arrived.
/// </summary>
public sealed record ResumePoint(IReadOnlyList<string> Pending, IReadOnlyDictionary<string, string[]> Arrivals);

/// <summary>Stores a run in flight (called by the runner after an activity with an external effect).</summary>
public delegate Task FlowCheckpoint(FlowRunState state, CancellationToken cancellationToken);

public sealed record HttpResponseRecord(int StatusCode, string? Content, string? ContentType);
