using Integration.Mappings.Definitions;

namespace Integration.Mappings.Loading;

/// <summary>A loaded mapping, or why it could not be loaded.</summary>
public sealed record MappingLoadResult(MappingDefinition? Definition, IReadOnlyList<MappingProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}
