using Integration.Workflows.Loading;
using Integration.Workflows.Model;

namespace Integration.Workflows.Persistence;

/// <summary>A flow file as the host serves it: its latest good published version, or why the file is refused.</summary>
public sealed record PublishedFlow(string File, FlowDefinition? Definition, int PublishedVersion, IReadOnlyList<FlowProblem> Problems);
