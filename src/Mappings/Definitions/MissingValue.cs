namespace Integration.Mappings.Definitions;

/// <summary>What a field does when its source has no value: leave the target alone, write the default, clear it, or fail.</summary>
public enum MissingValue
{
    Skip,
    Default,
    Null,
    Fail,
}
