using Integration.Workflows.Activities;

namespace Integration.Workflows.Execution;

/// <summary>The state of one run of a flow: variables, inputs and outputs, what happened (journal), and why it stopped.</summary>
public sealed class FlowRunState
{
    public string InstanceId { get; init; } = Guid.NewGuid().ToString("N");

    public string? CorrelationId { get; set; }

    public Dictionary<string, object?> Variables { get; } = new(StringComparer.Ordinal);

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

    /// <summary>How many of <see cref="Incidents"/> are already stored (a resumed run adds only new ones).</summary>
    public int IncidentsSaved { get; set; }
}

public enum FlowRunStatus
{
    Running,
    Finished,
    Suspended,
    Faulted,
}

/// <summary>One executed activity: which, its outcome(s), and how long it took.</summary>
public sealed record JournalEntry(string ActivityId, string ActivityType, string? Name, IReadOnlyList<string> Outcomes, double Microseconds, string? Error = null);

/// <summary>An activity that failed: which, with what error, on which attempt.</summary>
public sealed record Incident(string ActivityId, string ActivityType, string Message, string? ExceptionType, int Attempt);

public sealed record HttpResponseRecord(int StatusCode, string? Content, string? ContentType);
