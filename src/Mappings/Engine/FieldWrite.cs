using System.Text.Json.Nodes;

namespace Integration.Mappings.Engine;

/// <summary>A field written to the target: the new value and what the target held before (null when new).</summary>
public sealed record FieldWrite(FieldLocation Location, JsonNode? Value, JsonNode? Previous)
{
    public string Field => Location.Name;

    public string Path => Location.Path;
}

/// <summary>A field not written, and why.</summary>
public sealed record FieldSkip(FieldLocation Location, SkipReason Reason)
{
    public string Field => Location.Name;
}

/// <summary>A field that could not be mapped (a required value missing, a value a transform refused).</summary>
public sealed record FieldFailure(FieldLocation Location, string Reason)
{
    public string Field => Location.Name;
}
