using Integration.Mappings.Definitions;

namespace Integration.Mappings.Engine;

/// <summary>The report sites of one array in one direction: an item skipped as a whole, an item added, an item removed.</summary>
internal sealed class ArraySites(ArrayMapping array, bool sourceIsLeft)
{
    public FieldSite Item { get; } = new(array.Name, array.PathOn(!sourceIsLeft), array.PathOn(!sourceIsLeft).Text);

    public FieldSite Added { get; } = new("(added)", sourceIsLeft ? array.RightKey : array.LeftKey, array.PathOn(!sourceIsLeft).Text);

    public FieldSite Removed { get; } = new("(removed)", sourceIsLeft ? array.RightKey : array.LeftKey, array.PathOn(!sourceIsLeft).Text);
}
