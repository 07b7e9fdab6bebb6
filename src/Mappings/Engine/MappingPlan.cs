using Integration.Mappings.Definitions;

namespace Integration.Mappings.Engine;

/// <summary>A mapping compiled for one direction: its field plan and one per array (made once per mapping version, on first use).</summary>
internal sealed class MappingPlan
{
    private MappingPlan(MappingDefinition mapping, MappingDirection direction)
    {
        var sourceIsLeft = direction == MappingDirection.LeftToRight;
        Fields = FieldPlan.For(mapping.Fields, direction);
        Arrays = [.. mapping.Arrays.Select(a => FieldPlan.For(a.Fields, direction, a.PathOn(!sourceIsLeft).Text))];
        ArraySites = [.. mapping.Arrays.Select(a => new ArraySites(a, sourceIsLeft))];
    }

    /// <summary>Where each array's item events are reported: an item not written (not master), added, removed.</summary>
    public ArraySites[] ArraySites { get; }

    public FieldPlan Fields { get; }

    public FieldPlan[] Arrays { get; }

    public static MappingPlan For(MappingDefinition mapping, MappingDirection direction) => new(mapping, direction);
}
