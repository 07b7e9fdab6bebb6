using Integration.Mappings.Definitions;

namespace Integration.Mappings.Engine;

/// <summary>A mapping compiled for one direction: its field plan and one per array (made once per mapping version, on first use).</summary>
internal sealed class MappingPlan
{
    private MappingPlan(MappingDefinition mapping, MappingDirection direction)
    {
        Fields = FieldPlan.For(mapping.Fields, direction);
        Arrays = [.. mapping.Arrays.Select(a => FieldPlan.For(a.Fields, direction))];
    }

    public FieldPlan Fields { get; }

    public FieldPlan[] Arrays { get; }

    public static MappingPlan For(MappingDefinition mapping, MappingDirection direction) => new(mapping, direction);
}
