using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;

namespace Integration.Host.Cli;

/// <summary>For <c>flows run</c>: the sub-flows an ExecuteWorkflow names are the valid files beside the flow being run.</summary>
internal sealed class FlowFolderDefinitions(string folder, FlowLoader loader) : IFlowDefinitions
{
    private readonly Lazy<Dictionary<string, FlowDefinition>> _byId = new(() => Directory.GetFiles(folder, "*.json")
        .Select(loader.LoadFile).Where(r => r.IsValid).Select(r => r.Definition!)
        .GroupBy(d => d.DefinitionId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    public (FlowDefinition Definition, int Version)? Find(string definitionId) =>
        _byId.Value.TryGetValue(definitionId, out var definition) ? (definition, definition.Version) : null;
}
