using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>Where <c>ExecuteWorkflow</c> and <c>DispatchWorkflow</c> find the flow they start: the version in service.</summary>
public interface IFlowDefinitions
{
    (FlowDefinition Definition, int Version)? Find(string definitionId);
}
