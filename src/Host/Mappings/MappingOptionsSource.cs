using Integration.Mappings.Loading;
using Integration.Workflows.Activities;

namespace Integration.Host.Mappings;

/// <summary>The loaded mappings, offered by the designer for every activity input named <c>mapping</c> (Mappings.Apply, Erp.UpsertCustomer).</summary>
internal sealed class MappingOptionsSource(IServiceProvider services) : IInputOptionSource
{
    public bool Serves(string activityTypeName, string inputName) => inputName == "mapping";

    // The catalog is the host's (AddMappings); the CLI's runtime has none and offers nothing.
    public IReadOnlyList<InputOption> Options(string activityTypeName, string inputName) =>
        services.GetService<MappingCatalog>() is { } catalog
            ? [.. catalog.Mappings.Select(m => new InputOption(m.Id, string.IsNullOrEmpty(m.Description) ? m.Id : $"{m.Id}: {m.Description}"))]
            : [];
}
