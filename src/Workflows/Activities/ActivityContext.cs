using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;

namespace Integration.Workflows.Activities;

/// <summary>What an executing activity sees: its inputs, the flow's variables, outputs, time and the host's services.</summary>
public sealed class ActivityContext
{
    private readonly FlowRun _run;
    private readonly FlowRunner _runner;

    private readonly bool _record;

    internal ActivityContext(FlowRun run, FlowRunner runner, FlowActivityNode node, bool record = false)
    {
        _run = run;
        _runner = runner;
        Node = node;
        _record = record;
    }

    /// <summary>Inputs as this execution evaluated them (kept for the journal and incidents).</summary>
    internal Dictionary<string, object?>? RecordedInputs { get; private set; }

    /// <summary>Outputs this execution set (kept for the journal).</summary>
    internal Dictionary<string, object?>? RecordedOutputs { get; private set; }

    public FlowActivityNode Node { get; }

    public FlowRunState State => _run.State;

    public TimeProvider Time => _run.Services.Time;

    public IServiceProvider? Services => _run.Services.Services;

    public CancellationToken CancellationToken => _run.CancellationToken;

    /// <summary>The input's value, evaluated (Literal, Object, Variable, Input, JavaScript or Liquid) and converted to <typeparamref name="T"/>.</summary>
    public T? Input<T>(string name) => FlowRun.Convert<T>(InputValue(name));

    /// <summary>An Object input as JSON; a JSON object or array given as text (a Literal, a Liquid template) is parsed.</summary>
    public JsonNode? JsonInput(string name) =>
        Input<JsonNode>(name) is var node && node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().TrimStart() is ['{' or '[', ..] text
            ? JsonNode.Parse(text)
            : node; // evaluated once: an input's script (getOrder()) may be the costliest part of an activity

    public object? InputValue(string name)
    {
        var value = FlowExpression.From(Node.Property(name)) is { } expression ? _run.Evaluate(expression) : null;
        if (_record)
        {
            (RecordedInputs ??= new(StringComparer.Ordinal))[name] = value;
        }

        return value;
    }

    public bool HasInput(string name) => FlowExpression.From(Node.Property(name)) is not null;

    public object? Evaluate(FlowExpression expression) => _run.Evaluate(expression);

    public object? GetVariable(string name) => _run.GetVariable(name);

    public void SetVariable(string name, object? value) => _run.SetVariable(name, value);

    /// <summary>Records an output and writes it to the variable the flow bound it to (<c>memoryReference</c>), if any.</summary>
    public void SetOutput(string name, object? value)
    {
        if (!State.ActivityOutputs.TryGetValue(Node.Id, out var outputs))
        {
            State.ActivityOutputs[Node.Id] = outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        outputs[name] = value;
        if (_record)
        {
            (RecordedOutputs ??= new(StringComparer.Ordinal))[name] = value;
        }

        if (name == "result")
        {
            State.LastResult = value;
        }

        if (Node.Property(name) is JsonObject binding && binding["memoryReference"]?["id"]?.GetValue<string>() is { } variableId)
        {
            var variable = _run.Definition.Variables.FirstOrDefault(v => v.Id == variableId || v.Name == variableId);
            _run.SetVariable(variable?.Name ?? variableId, value);
        }
    }

    public void WriteLine(string text) => State.Console.Add(text);

    /// <summary>Runs an embedded activity (If's branch, ForEach's body) to its end and returns how it ended.</summary>
    public ValueTask<ActivityResult> RunEmbeddedAsync(FlowActivityNode node) => _runner.RunNodeAsync(_run, node);

    /// <summary>The embedded activity's result stops its container: it interrupts, or the run is no longer running.</summary>
    internal bool Stops(ActivityResult result) => result.Interrupts || State.Status != FlowRunStatus.Running;

    internal FlowRun Run => _run;

    internal FlowRunner Runner => _runner;
}
