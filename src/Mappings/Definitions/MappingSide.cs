namespace Integration.Mappings.Definitions;

/// <summary>One of the two systems of a mapping: its name, the entity, where the record's id and modification time are.</summary>
public sealed record MappingSide(string System, string Entity, FieldPath? IdPath, FieldPath? ModifiedAtPath);
