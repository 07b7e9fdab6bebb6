namespace Integration.Mappings.Loading;

/// <summary>Something wrong with a mapping file: where (file and JSON path) and why.</summary>
public sealed record MappingProblem(string File, string JsonPath, string Message)
{
    public override string ToString() => $"{File}: {JsonPath}: {Message}";
}
