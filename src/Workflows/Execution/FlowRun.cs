using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;

namespace Integration.Workflows.Execution;

/// <summary>One run of a flow in memory: the definition, the state, and expression evaluation bound to both.</summary>
internal sealed class FlowRun(FlowDefinition definition, FlowRunState state, FlowServices services, CancellationToken cancellationToken, FlowCheckpoint? checkpoint = null) : IDisposable
{
    public FlowCheckpoint? Checkpoint { get; } = checkpoint;

    private JavaScriptRuntime? _javaScript;

    public FlowDefinition Definition { get; } = definition;

    public FlowRunState State { get; } = WithInMemoryVariables(state, definition);

    public FlowServices Services { get; } = services;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public JavaScriptRuntime JavaScript => _javaScript ??= new JavaScriptRuntime(this, Services.JavaScriptLimits);

    /// <summary>When this segment of the run started (for its duration), and its trace span when someone listens.</summary>
    public long StartedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public System.Diagnostics.Activity? Trace { get; } = Telemetry.FlowTelemetry.StartRun(definition.DefinitionId);

    public void Dispose()
    {
        _javaScript?.Dispose();
        Trace?.Dispose();
    }

    public object? GetVariable(string name) => State.Variables.TryGetValue(name, out var value) ? value : null;

    public void SetVariable(string name, object? value) =>
        State.Variables[name] = Definition.Variables.FirstOrDefault(v => v.Name == name) is { } declared ? VariableValue.Coerce(declared.TypeName, value) : value;

    public object? OutputOf(string activityIdOrName, string? output)
    {
        var id = Definition.AllActivities().FirstOrDefault(a => a.Id == activityIdOrName || a.Name == activityIdOrName)?.Id ?? activityIdOrName;
        return State.ActivityOutputs.TryGetValue(id, out var outputs)
            ? output is null ? outputs.GetValueOrDefault("result") ?? outputs.Values.FirstOrDefault() : outputs.GetValueOrDefault(output)
            : null;
    }

    public object? Evaluate(FlowExpression expression)
    {
        var value = expression.Value;
        return expression.Type switch
        {
            "Literal" => value,
            "Object" or "Json" => value is null ? null : JsonNode.Parse(value),
            "Variable" => GetVariable(VariableName(value)),
            "Input" => State.Input.GetValueOrDefault(InputName(value)),
            "JavaScript" => string.IsNullOrWhiteSpace(value) ? null : EvaluateJavaScript(value),
            "Liquid" => value is null ? null : RenderLiquid(value),
            _ => throw new InvalidOperationException($"Unknown expression type '{expression.Type}'"),
        };
    }

    // A script that only reads a value (getOrder(), getSettings().store) is answered without the engine.
    private object? EvaluateJavaScript(string script) =>
        ValueReadScript.Of(script) is { } read && read.TryRead(this, out var value) ? value : JavaScript.Evaluate(script);

    /// <summary>The value converted to what an input asks for (string, number, bool, TimeSpan, JSON...).</summary>
    public static T? Convert<T>(object? value)
    {
        if (value is null)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        object? converted = value switch
        {
            _ when target == typeof(string) => value is JsonNode node ? node.ToJsonString() : System.Convert.ToString(value, CultureInfo.InvariantCulture),
            string s when target == typeof(TimeSpan) => TimeSpan.Parse(s, CultureInfo.InvariantCulture),
            string s when target == typeof(bool) => bool.Parse(s),
            string s when target == typeof(DateTimeOffset) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
            JsonValue v when target == typeof(bool) => v.GetValue<bool>(),
            JsonNode node when target == typeof(JsonNode) => node,
            _ when target == typeof(JsonNode) => JsonSerializer.SerializeToNode(value),
            IConvertible c when target.IsPrimitive || target == typeof(decimal) => System.Convert.ChangeType(c, target, CultureInfo.InvariantCulture),
            _ => throw new InvalidCastException($"Cannot read {value.GetType().Name} as {target.Name}"),
        };
        return (T?)converted;
    }

    private string RenderLiquid(string source)
    {
        var context = new TemplateContext(new
        {
            Variables = State.Variables,
            Input = State.Input,
            CorrelationId = State.CorrelationId,
            WorkflowDefinitionId = Definition.DefinitionId,
            WorkflowDefinitionVersion = Definition.Version,
            WorkflowInstanceId = State.InstanceId,
        }, LiquidOptions);
        return ScriptCache.Liquid(source).Render(context);
    }

    private static readonly TemplateOptions LiquidOptions = CreateLiquidOptions();

    private static TemplateOptions CreateLiquidOptions()
    {
        // Bounded as the JavaScript engine is (JavaScriptLimits): a runaway loop in a template faults its activity
        // instead of holding a host thread for good.
        var options = new TemplateOptions { MaxSteps = 100_000, MaxRecursion = 64 };
        options.MemberAccessStrategy = new UnsafeMemberAccessStrategy();
        options.Filters.AddFilter("base64", (input, _, _) => new Fluid.Values.StringValue(System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(input.ToStringValue()))));
        return options;
    }

    // A Variable expression's value is the variable's name, or a serialized reference {"id":..,"name":..}.
    private string VariableName(string? value)
    {
        if (value is null)
        {
            return "";
        }

        if (value.StartsWith('{'))
        {
            var reference = JsonNode.Parse(value)!;
            var id = reference["id"]?.GetValue<string>();
            return reference["name"]?.GetValue<string>() ?? Definition.Variables.FirstOrDefault(v => v.Id == id)?.Name ?? id ?? "";
        }

        return Definition.Variables.FirstOrDefault(v => v.Id == value)?.Name ?? value;
    }

    private static string InputName(string? value) =>
        value is not null && value.StartsWith('{') ? JsonNode.Parse(value)!["name"]?.GetValue<string>() ?? "" : value ?? "";

    // A run resumed from its saved state has no value for a variable kept in memory only: it starts again from the
    // variable's initial value, as on Elsa's Memory driver.
    private static FlowRunState WithInMemoryVariables(FlowRunState state, FlowDefinition definition)
    {
        state.InMemoryVariables = definition.InMemoryVariables;
        foreach (var variable in definition.Variables)
        {
            if (variable.InMemory && !state.Variables.ContainsKey(variable.Name))
            {
                state.Variables[variable.Name] = VariableValue.Initial(variable);
            }
        }

        return state;
    }
}
