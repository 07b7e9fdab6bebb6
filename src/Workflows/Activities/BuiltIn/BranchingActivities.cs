using System.Text.Json.Nodes;
using Integration.Workflows.Expressions;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary><c>Elsa.FlowDecision</c>: follows <c>True</c> or <c>False</c> by <c>condition</c>.</summary>
internal sealed class FlowDecisionActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.FlowDecision", "Branching", "Decision", [new InputDescriptor("condition", "Boolean", true)], [], ["True", "False"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
        ValueTask.FromResult(ActivityResult.Outcome(Truthy(context.InputValue("condition")) ? "True" : "False"));

    internal static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => bool.TryParse(s, out var parsed) ? parsed : s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => true,
    };
}

/// <summary><c>Elsa.If</c>: runs the embedded <c>then</c> or <c>else</c> activity by <c>condition</c>, then <c>Done</c>.</summary>
internal sealed class IfActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.If", "Branching", "If", [new InputDescriptor("condition", "Boolean", true)], [], ["Done"]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var branch = FlowDecisionActivity.Truthy(context.InputValue("condition")) ? "then" : "else";
        if (context.Node.Embedded.TryGetValue(branch, out var activity))
        {
            var result = await context.RunEmbeddedAsync(activity);
            if (result.Interrupts)
            {
                return result;
            }
        }

        return ActivityResult.Done;
    }
}

/// <summary>
/// <c>Elsa.FlowSwitch</c>: <c>cases[{label, condition}]</c>; MatchFirst (default) follows the first true case's label,
/// MatchAny every true one; none true follows <c>Default</c>.
/// </summary>
internal sealed class FlowSwitchActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.FlowSwitch", "Branching", "Switch",
        [new InputDescriptor("cases", "Cases", true, "flow-switch-editor"), new InputDescriptor("mode", "String")], [], ["Default"], HasDynamicPorts: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var matchAny = string.Equals(context.Input<string>("mode"), "MatchAny", StringComparison.OrdinalIgnoreCase);
        var matched = new List<string>();
        foreach (var (label, condition) in Cases(context.Node.Property("cases")))
        {
            if (condition is not null && FlowDecisionActivity.Truthy(context.Evaluate(condition)))
            {
                matched.Add(label);
                if (!matchAny)
                {
                    break;
                }
            }
        }

        return ValueTask.FromResult(new ActivityResult(matched.Count > 0 ? matched : ["Default"]));
    }

    internal static IEnumerable<(string Label, FlowExpression? Condition)> Cases(JsonNode? cases)
    {
        // Written either as a plain array or as an input {typeName, expression:{type:"Object", value:"[...]"}}.
        var array = cases as JsonArray ?? (cases?["expression"]?["value"] is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) as JsonArray : null);
        foreach (var item in array ?? [])
        {
            var label = item?["label"]?.GetValue<string>() ?? "";
            var condition = item?["condition"] is JsonObject c ? new FlowExpression(c["type"]?.GetValue<string>() ?? "JavaScript", c["value"]?.ToString(), null) : null;
            yield return (label, condition);
        }
    }
}

/// <summary><c>Elsa.FlowFork</c>: follows every branch named in <c>branches</c> at once.</summary>
internal sealed class FlowForkActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.FlowFork", "Branching", "Fork", [new InputDescriptor("branches", "String[]", true)], [], [], HasDynamicPorts: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var value = context.InputValue("branches");
        IReadOnlyList<string> branches = value switch
        {
            JsonArray array => [.. array.Select(b => b!.ToString())],
            string s when s.TrimStart().StartsWith('[') => [.. JsonNode.Parse(s)!.AsArray().Select(b => b!.ToString())],
            string s => [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            _ => [],
        };
        return ValueTask.FromResult(new ActivityResult(branches));
    }
}

/// <summary><c>Elsa.FlowJoin</c>: where branches meet; <c>mode</c> WaitAny goes on at the first, WaitAll when all have arrived. The runner does the waiting.</summary>
internal sealed class FlowJoinActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.FlowJoin", "Branching", "Join", [new InputDescriptor("mode", "String")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done);
}

/// <summary><c>Elsa.ForEach</c>: runs the embedded <c>body</c> once per item of <c>items</c>, with <c>currentValue</c> set (and bound).</summary>
internal sealed class ForEachActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.ForEach", "Looping", "For Each",
        [new InputDescriptor("items", "Object", true)], [new OutputDescriptor("currentValue", "Object")], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => RunFromAsync(context, 0);

    /// <summary>Runs the body for the items from <paramref name="start"/> on (0, or after the item a resumed bookmark waited in).</summary>
    internal static async ValueTask<ActivityResult> RunFromAsync(ActivityContext context, int start)
    {
        var items = Items(context);
        context.Node.Embedded.TryGetValue("body", out var body);
        for (var index = start; index < items.Count; index++)
        {
            SetCurrent(context, items[index]);
            if (body is not null && await LoopBody.RunAsync(context, body, index) is { } stop)
            {
                return stop;
            }
        }

        return ActivityResult.Done;
    }

    /// <summary>Makes the item at <paramref name="index"/> the current one again (a retry of an incident it had); false when there is none.</summary>
    internal static bool SetCurrentAt(ActivityContext context, int index)
    {
        var items = Items(context);
        if (index < 0 || index >= items.Count)
        {
            return false;
        }

        SetCurrent(context, items[index]);
        return true;
    }

    private static void SetCurrent(ActivityContext context, object? item) =>
        context.SetOutput("currentValue", item is JsonValue v && v.TryGetValue<string>(out var text) ? text : item);

    private static List<object?> Items(ActivityContext context) => context.InputValue("items") switch
    {
        JsonArray array => array.Select(i => (object?)i).ToList(),
        string s when s.TrimStart().StartsWith('[') => [.. JsonNode.Parse(s)!.AsArray().Select(i => (object?)i)],
        System.Collections.IEnumerable list and not string => list.Cast<object?>().ToList(),
        null => [],
        var single => [single],
    };
}

/// <summary>
/// <c>Elsa.Switch</c>: <c>cases[{label, condition, activity}]</c>; runs the activity of the first true case
/// (<c>mode</c> MatchAny: of every true case), or the embedded <c>default</c> when none is, then <c>Done</c>.
/// </summary>
internal sealed class SwitchActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.Switch", "Branching", "Switch",
        [new InputDescriptor("cases", "Cases", true, "switch-editor"), new InputDescriptor("mode", "String")], [], ["Done"]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var matchAny = string.Equals(context.Input<string>("mode"), "MatchAny", StringComparison.OrdinalIgnoreCase);
        var matched = false;
        var index = 0;
        foreach (var (_, condition) in FlowSwitchActivity.Cases(context.Node.Property("cases")))
        {
            var key = $"cases[{index++}]";
            if (condition is null || !FlowDecisionActivity.Truthy(context.Evaluate(condition)))
            {
                continue;
            }

            matched = true;
            if (context.Node.Embedded.TryGetValue(key, out var activity) && await Stopped(context, activity) is { } stopped)
            {
                return stopped;
            }

            if (!matchAny)
            {
                break;
            }
        }

        if (!matched && context.Node.Embedded.TryGetValue("default", out var fallback) && await Stopped(context, fallback) is { } stop)
        {
            return stop;
        }

        return ActivityResult.Done;
    }

    // A case's activity that suspended, finished the flow or broke out of a loop stops the switch with it.
    private static async ValueTask<ActivityResult?> Stopped(ActivityContext context, Model.FlowActivityNode activity)
    {
        var result = await context.RunEmbeddedAsync(activity);
        return result.Interrupts ? result : null;
    }
}
