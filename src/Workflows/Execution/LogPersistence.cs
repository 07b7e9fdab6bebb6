using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>
/// Which inputs and outputs a run's journal keeps, declared as Elsa 3 does: in the flow's and an activity's
/// <c>customProperties.logPersistenceConfig</c> (<c>{"default": cfg, "inputs": {name: cfg}, "outputs": {name: cfg}}</c>,
/// each cfg naming a strategy type) or the older <c>customProperties.logPersistenceMode</c> (<c>{"default": "Exclude",
/// "inputs": {name: "Include"}}</c>). An input or output inherits from its activity, the activity from the flow, the
/// flow from the host (<c>Flows:LogPersistence</c>), and what is still Inherit is Include. Large documents that a
/// later step can read again (the order fetched from the store, the mapped ERP order) cost the run's record more than
/// the ERP's booking does; leaving them out keeps runs that go well lean. A failed activity keeps its inputs for its
/// incident, and an excluded output is still kept while its run is in flight (a resumed run reads it back): it is
/// left out when the run finishes.
/// </summary>
public static class LogPersistence
{
    /// <summary>The strategies Studio offers: (type name as Elsa writes it, display name).</summary>
    public static readonly IReadOnlyList<(string TypeName, string DisplayName)> Strategies =
    [
        (TypeName("Configuration"), "Configuration"),
        (TypeName("Exclude"), "Exclude"),
        (TypeName("Include"), "Include"),
        (TypeName("Inherit"), "Inherit"),
    ];

    private static readonly ConditionalWeakTable<FlowActivityNode, Declared> ByNode = [];
    private static readonly ConditionalWeakTable<FlowDefinition, StrongBox<LogPersistenceMode>> ByFlow = [];
    private static readonly ConditionalWeakTable<FlowDefinition, Dictionary<string, FlowActivityNode>> NodesById = [];

    /// <summary>The inputs and outputs of <paramref name="node"/> the journal leaves out; null when it keeps them all.</summary>
    internal static (Func<string, bool> Input, Func<string, bool> Output)? Exclusions(FlowDefinition definition, FlowActivityNode node, LogPersistenceMode hostDefault)
    {
        var declared = ByNode.GetValue(node, static n => Declared.Of(n.Json["customProperties"] as JsonObject));
        var inherited = declared.Default is LogPersistenceMode.Inherit
            ? Flow(definition) is LogPersistenceMode.Inherit ? hostDefault : Flow(definition)
            : declared.Default;
        if (inherited is not LogPersistenceMode.Exclude && !declared.AnyExclusion)
        {
            return null;
        }

        return (name => Excluded(declared.Inputs, name, inherited), name => Excluded(declared.Outputs, name, inherited));

        static bool Excluded(Dictionary<string, LogPersistenceMode>? modes, string name, LogPersistenceMode inherited) =>
            (modes is not null && modes.TryGetValue(name, out var mode) && mode is not LogPersistenceMode.Inherit ? mode : inherited) is LogPersistenceMode.Exclude;
    }

    /// <summary><see cref="Exclusions(FlowDefinition, FlowActivityNode, LogPersistenceMode)"/> of the activity with this id, if the flow has it.</summary>
    internal static (Func<string, bool> Input, Func<string, bool> Output)? Exclusions(FlowDefinition definition, string activityId, LogPersistenceMode hostDefault) =>
        NodesById.GetValue(definition, static d => d.AllActivities().ToDictionary(n => n.Id, StringComparer.Ordinal)).TryGetValue(activityId, out var node)
            ? Exclusions(definition, node, hostDefault)
            : null;

    /// <summary>Problems with a declaration (path, reason), for the loader: an unknown strategy would silently keep everything.</summary>
    internal static IEnumerable<(string Path, string Reason)> Problems(JsonObject? customProperties, string path)
    {
        if (customProperties is null)
        {
            yield break;
        }

        foreach (var (key, legacy) in new[] { ("logPersistenceConfig", false), ("logPersistenceMode", true) })
        {
            if (customProperties[key] is not JsonObject declared)
            {
                continue;
            }

            foreach (var (where, setting) in Settings(declared))
            {
                if (setting is not null && Parse(setting, legacy) is null)
                {
                    yield return ($"{path}.customProperties.{key}.{where}",
                        $"log persistence {setting.ToJsonString()} is not known (use a strategy type: {string.Join(", ", Strategies.Select(s => s.DisplayName))})");
                }
            }
        }
    }

    private static LogPersistenceMode Flow(FlowDefinition definition) =>
        ByFlow.GetValue(definition, static d => new StrongBox<LogPersistenceMode>(Declared.Of(d.Json["customProperties"] as JsonObject).Default)).Value;

    private static string TypeName(string strategy) => $"Elsa.Workflows.LogPersistence.Strategies.{strategy}, Elsa.Workflows.Core";

    private static IEnumerable<(string Where, JsonNode? Setting)> Settings(JsonObject declared)
    {
        yield return ("default", declared["default"]);
        foreach (var side in new[] { "inputs", "outputs" })
        {
            foreach (var (name, setting) in declared[side] as JsonObject ?? [])
            {
                yield return ($"{side}.{name}", setting);
            }
        }
    }

    // A cfg {"evaluationMode": "Strategy", "strategyType": "...Exclude, Elsa.Workflows.Core"} or, in the older key, a
    // mode name. Studio writes a bare "Exclude" when it upgrades older settings: taken too. Configuration follows the
    // host (Inherit). An expression is not evaluated here: Inherit, which is what Elsa falls back to when one fails.
    private static LogPersistenceMode? Parse(JsonNode setting, bool legacy)
    {
        if (legacy || setting is JsonValue)
        {
            return setting is JsonValue value && value.TryGetValue<string>(out var name) ? Mode(name) : null;
        }

        if (setting is not JsonObject cfg)
        {
            return null;
        }

        if (cfg["evaluationMode"]?.GetValue<string>() is "Expression")
        {
            return LogPersistenceMode.Inherit;
        }

        return cfg["strategyType"] is JsonValue type && type.TryGetValue<string>(out var typeName) ? Mode(typeName) : LogPersistenceMode.Inherit;
    }

    private static LogPersistenceMode? Mode(string typeName)
    {
        return ElsaTypeName.ClassName(typeName) switch
        {
            "Include" => LogPersistenceMode.Include,
            "Exclude" => LogPersistenceMode.Exclude,
            "Inherit" or "Configuration" or "" => LogPersistenceMode.Inherit,
            _ => null,
        };
    }

    private sealed record Declared(LogPersistenceMode Default, Dictionary<string, LogPersistenceMode>? Inputs, Dictionary<string, LogPersistenceMode>? Outputs)
    {
        public bool AnyExclusion { get; } =
            (Inputs?.ContainsValue(LogPersistenceMode.Exclude) ?? false) || (Outputs?.ContainsValue(LogPersistenceMode.Exclude) ?? false);

        // logPersistenceConfig's default wins over logPersistenceMode's, as in Elsa; per name, the first that says.
        public static Declared Of(JsonObject? customProperties)
        {
            var config = customProperties?["logPersistenceConfig"] as JsonObject;
            var legacy = customProperties?["logPersistenceMode"] as JsonObject;
            var fallback = legacy?["default"] is { } old ? Parse(old, legacy: true) ?? LogPersistenceMode.Inherit : LogPersistenceMode.Inherit;
            var @default = config?["default"] is { } current ? Parse(current, legacy: false) ?? LogPersistenceMode.Inherit : fallback;
            return new Declared(@default, Names(config, legacy, "inputs"), Names(config, legacy, "outputs"));
        }

        private static Dictionary<string, LogPersistenceMode>? Names(JsonObject? config, JsonObject? legacy, string side)
        {
            Dictionary<string, LogPersistenceMode>? modes = null;
            foreach (var (declared, isLegacy) in new[] { (config, false), (legacy, true) })
            {
                foreach (var (name, setting) in declared?[side] as JsonObject ?? [])
                {
                    if (setting is not null && Parse(setting, isLegacy) is { } mode and not LogPersistenceMode.Inherit)
                    {
                        (modes ??= new(StringComparer.OrdinalIgnoreCase)).TryAdd(name, mode);
                    }
                }
            }

            return modes;
        }
    }
}
