namespace Integration.Workflows.Execution;

/// <summary>Whether a run's journal keeps an activity's input or output (Elsa 3's <c>LogPersistenceMode</c>).</summary>
public enum LogPersistenceMode
{
    /// <summary>As the level above says: the input or output as the activity, the activity as the flow, the flow as the host.</summary>
    Inherit,

    /// <summary>Kept in the journal.</summary>
    Include,

    /// <summary>Left out of the journal of a run that goes well.</summary>
    Exclude,
}
