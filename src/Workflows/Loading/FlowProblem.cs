namespace Integration.Workflows.Loading;

/// <summary>Something wrong with a flow file: where (file and JSON path) and why.</summary>
public sealed record FlowProblem(string File, string JsonPath, string Message)
{
    public override string ToString() => $"{File}: {JsonPath}: {Message}";
}
