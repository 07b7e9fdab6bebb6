namespace Integration.Mappings.Definitions;

/// <summary>Which system is right about a field: the left one, the right one, or both (then a conflict rule decides).</summary>
public enum FieldMaster
{
    Left,
    Right,
    Both,
}
