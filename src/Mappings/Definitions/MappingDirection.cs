namespace Integration.Mappings.Definitions;

/// <summary>Which way a mapping is applied: from its <c>left</c> system to its <c>right</c> one, or back.</summary>
public enum MappingDirection
{
    LeftToRight,
    RightToLeft,
}
