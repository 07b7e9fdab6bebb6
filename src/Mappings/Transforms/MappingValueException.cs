namespace Integration.Mappings.Transforms;

/// <summary>A value that a transform cannot convert; the field is reported as failed with this reason.</summary>
public sealed class MappingValueException(string message) : Exception(message);
