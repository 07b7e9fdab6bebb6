namespace Integration.Workflows.Execution;

/// <summary>
/// Notes a connector adds about the activity running on this async flow (a retry after a 429, a wait for the rate
/// limit), kept on the activity's journal entry so a run shows what its calls went through, not only how long they took.
/// </summary>
public static class ActivityNotes
{
    private const int Limit = 20;
    private static readonly AsyncLocal<List<string>?> Current = new();

    /// <summary>Adds a note to the running activity's journal entry; outside an activity it is dropped.</summary>
    public static void Add(string note)
    {
        if (Current.Value is not { } notes)
        {
            return;
        }

        lock (notes)
        {
            if (notes.Count < Limit)
            {
                notes.Add(note);
            }
        }
    }

    /// <summary>Starts collecting for the activity about to run on this async flow (the caller's flow is left as it was).</summary>
    internal static List<string> Begin() => Current.Value = [];

    internal static List<string>? Of(List<string> notes)
    {
        lock (notes)
        {
            return notes.Count == 0 ? null : [.. notes];
        }
    }
}
