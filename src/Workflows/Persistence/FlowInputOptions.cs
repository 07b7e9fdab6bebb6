using Integration.Workflows.Activities;
using Integration.Workflows.Expressions;

namespace Integration.Workflows.Persistence;

/// <summary>
/// The options the flow catalog knows: the flows <c>ExecuteWorkflow</c> and <c>DispatchWorkflow</c> may start, and
/// the event names the loaded flows wait for or publish (<c>Elsa.Event</c>, <c>Elsa.PublishEvent</c>).
/// </summary>
public sealed class FlowInputOptions(FlowCatalog catalog) : IInputOptionSource
{
    private static readonly HashSet<string> Composition = ["Elsa.ExecuteWorkflow", "Elsa.DispatchWorkflow"];
    private static readonly HashSet<string> Events = ["Elsa.Event", "Elsa.PublishEvent"];

    public bool Serves(string activityTypeName, string inputName) =>
        (Composition.Contains(activityTypeName) && inputName == "workflowDefinitionId") || (Events.Contains(activityTypeName) && inputName == "eventName");

    public IReadOnlyList<InputOption> Options(string activityTypeName, string inputName) =>
        Composition.Contains(activityTypeName)
            ? [.. catalog.Loaded.Select(f => f.Definition).OrderBy(d => d.DefinitionId, StringComparer.Ordinal)
                .Select(d => new InputOption(d.DefinitionId, d.IsPublished ? $"{d.Name ?? d.DefinitionId} ({d.DefinitionId})" : $"{d.Name ?? d.DefinitionId} ({d.DefinitionId}, retracted)"))]
            : [.. catalog.Loaded.SelectMany(f => f.Definition.AllActivities())
                .Where(a => Events.Contains(a.Type))
                .Select(a => FlowExpression.From(a.Property("eventName")) is { Type: "Literal", Value: { Length: > 0 } name } ? name : null)
                .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(name => new InputOption(name, name))];
}
