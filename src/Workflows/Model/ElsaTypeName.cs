namespace Integration.Workflows.Model;

/// <summary>Elsa names strategies and drivers by assembly-qualified type names; what matters is the class's own name.</summary>
internal static class ElsaTypeName
{
    /// <summary><c>Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core</c> is <c>MemoryStorageDriver</c>; a bare name stays as it is.</summary>
    public static string ClassName(string typeName)
    {
        var fullName = typeName.Split(',')[0].Trim();
        return fullName[(fullName.LastIndexOf('.') + 1)..];
    }
}
