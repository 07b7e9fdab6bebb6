using System.Runtime.CompilerServices;
using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>
/// When a run in flight is committed (checkpointed with this host's lease), declared as Elsa 3 does: for the flow in
/// <c>options.commitStrategyName</c>, for one activity in <c>customProperties.commitStrategyName</c>, the activity's
/// winning. With neither, a run commits after each activity with an external effect. A commit costs a transaction
/// (and its flush to disk); an activity idempotent on business keys (the ERP's, the receipt register's) may do
/// without one, since a run cut off before its next commit is simply run again.
/// </summary>
public static class CommitStrategy
{
    /// <summary>The flow's strategies: (name, what it does).</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Workflow =
    [
        ("WorkflowExecuted", "Commit only when the run stops (finished, suspended, faulted): a host that dies runs it again from its trigger."),
        ("ActivityExecuting", "Commit before each activity of the flowchart runs: a host that dies runs that activity again."),
        ("ActivityExecuted", "Commit after each activity of the flowchart: a host that dies goes on after the last one that ended."),
    ];

    /// <summary>One activity's strategies, winning over the flow's.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Activity =
    [
        ("Always", "Commit before and after this activity."),
        ("Executing", "Commit before this activity runs."),
        ("Executed", "Commit after this activity, effect or not."),
        ("Never", "Never commit around this activity, even when it has an external effect (it must be idempotent: a host that dies runs it again)."),
    ];

    private static readonly ConditionalWeakTable<FlowActivityNode, StrongBox<(bool Before, bool? After)>> Declared = [];

    /// <summary>Whether the run commits before <paramref name="node"/> runs.</summary>
    internal static bool Before(FlowDefinition definition, FlowActivityNode node) =>
        Of(node) is { After: null } ? FlowStrategy(definition) == "ActivityExecuting" : Of(node).Before;

    /// <summary>Whether the run commits after <paramref name="node"/>; <paramref name="hasEffect"/> decides when nothing is declared.</summary>
    internal static bool After(FlowDefinition definition, FlowActivityNode node, Func<bool> hasEffect) =>
        Of(node).After ?? FlowStrategy(definition) switch
        {
            "ActivityExecuted" => true,
            "ActivityExecuting" or "WorkflowExecuted" => false,
            _ => hasEffect(),
        };

    internal static string? FlowStrategy(FlowDefinition definition) => definition.Json["options"]?["commitStrategyName"]?.GetValue<string>();

    internal static string? ActivityStrategy(FlowActivityNode node) => node.Json["customProperties"]?["commitStrategyName"]?.GetValue<string>();

    // Before: Always or Executing. After: true for Always or Executed, false for Never or Executing (declared), null
    // when the activity declares nothing and the flow decides.
    private static (bool Before, bool? After) Of(FlowActivityNode node) =>
        Declared.GetValue(node, static n => new StrongBox<(bool, bool?)>(ActivityStrategy(n) switch
        {
            "Always" => (true, true),
            "Executing" => (true, false),
            "Executed" => (false, true),
            "Never" => (false, false),
            _ => (false, null),
        })).Value;
}
