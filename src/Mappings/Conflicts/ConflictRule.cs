namespace Integration.Mappings.Conflicts;

/// <summary>How a difference on a field both systems master is settled.</summary>
public enum ConflictRule
{
    /// <summary>The system first in <see cref="ConflictPolicy.Priority"/> wins.</summary>
    MasterWins,

    /// <summary>The record modified last (by the systems' own timestamps) wins.</summary>
    LastWriterWins,

    /// <summary>Nothing is written; a person decides (the conflict is reported as needing one).</summary>
    Raise,
}
