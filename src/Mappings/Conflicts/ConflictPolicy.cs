namespace Integration.Mappings.Conflicts;

/// <summary>The rule for fields mastered by <c>both</c>, with the systems in order of priority for <see cref="ConflictRule.MasterWins"/>.</summary>
public sealed record ConflictPolicy(ConflictRule Rule, IReadOnlyList<string> Priority);
