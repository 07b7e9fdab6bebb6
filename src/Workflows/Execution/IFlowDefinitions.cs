using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>
/// Where <c>ExecuteWorkflow</c> and <c>DispatchWorkflow</c> find the flow they start: its latest valid version, which
/// they refuse to start when it is retracted (<see cref="FlowDefinition.IsPublished"/> false).
/// </summary>
public interface IFlowDefinitions
{
    (FlowDefinition Definition, int Version)? Find(string definitionId);
}
