using System.Text.Json.Nodes;
using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>
/// Where a retry of an activity's incident starts: <c>customProperties.retryFrom</c>, an activity of the same flowchart
/// that reads again what this one writes (checked when the flow loads), or the failed activity itself.
/// </summary>
internal static class RetryPoint
{
    public static string? Of(FlowActivityNode node) =>
        node.Json["customProperties"]?["retryFrom"] is JsonValue value && value.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;

    /// <summary>What is wrong with a node's retryFrom in <paramref name="definition"/>, if anything.</summary>
    public static string? Problem(FlowActivityNode node, FlowDefinition definition)
    {
        if (node.Json["customProperties"]?["retryFrom"] is null)
        {
            return null;
        }

        if (Of(node) is not { } id)
        {
            return "retryFrom names an activity by its id (a string)";
        }

        // Looked up only for the few activities that declare one: the node's own flowchart.
        var flowchart = definition.AllActivities().FirstOrDefault(a => a.Type == "Elsa.Flowchart" && a.Children.Contains(node));
        return flowchart is not null && flowchart.Children.Any(c => c.Id == id && c.Id != node.Id)
            ? null
            : $"retryFrom '{id}' is not another activity of the same flowchart";
    }
}
