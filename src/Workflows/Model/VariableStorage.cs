namespace Integration.Workflows.Model;

/// <summary>
/// Where a variable's value lives between a run's saves, named as Elsa 3 names its storage drivers in
/// <c>variables[].storageDriverTypeName</c>. A variable is kept with its run (<c>flows.instance.variables</c>) unless
/// it names the Memory driver: then it lives in the host's memory for one session of the run and is not written with
/// it (a run resumed later, or on another host, finds the variable's initial value). Use Memory for large values a run
/// hands from one step to the next, such as a store's listing, that a resumed run can read again.
/// </summary>
public static class VariableStorage
{
    /// <summary>The drivers Studio offers: (type name as Elsa writes it, display name, priority, deprecated).</summary>
    public static readonly IReadOnlyList<(string TypeName, string DisplayName, int Priority, bool Deprecated)> Drivers =
    [
        ("Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core", "Workflow Instance", 5, false),
        ("Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core", "Memory", 0, false),
        ("Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core", "Workflow", -1, true),
    ];

    /// <summary>Whether the name is a driver this runtime knows (null or empty: kept with the run).</summary>
    public static bool IsKnown(string? typeName) => Kind(typeName) is not null;

    /// <summary>Whether a variable with this driver is left out of the run's saves.</summary>
    public static bool IsMemory(string? typeName) => Kind(typeName) == "Memory";

    // Elsa 3.0-3.2 named the drivers under Elsa.Workflows.Services, 3.8 takes the bare class name too, and earlier
    // versions of this designer wrote "Workflow".
    private static string? Kind(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName))
        {
            return "WorkflowInstance";
        }

        return ElsaTypeName.ClassName(typeName) switch
        {
            "MemoryStorageDriver" or "Memory" => "Memory",
            "WorkflowInstanceStorageDriver" or "WorkflowStorageDriver" or "Workflow" or "WorkflowInstance" => "WorkflowInstance",
            _ => null,
        };
    }
}
