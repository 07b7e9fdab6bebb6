using System.Text.Json;
using Integration.Workflows.Expressions;
using Jint;
using Jint.Native;
using Jint.Native.Json;

namespace Integration.Workflows.Execution;

/// <summary>
/// One Jint engine per run (not per evaluation), with Elsa's JavaScript globals bound to the run: getVariable /
/// setVariable, <c>variables.X</c>, get&lt;Var&gt;() / set&lt;Var&gt;(v), getInput, getOutputFrom, getLastResult,
/// correlation and instance functions, toJson and friends. No CLR access; time, statement, memory and recursion limits.
/// </summary>
internal sealed class JavaScriptRuntime : IDisposable
{
    private readonly Engine _engine;
    private readonly FlowRun _run;
    private readonly JsonParser _json;

    // What this evaluation already handed over, by the CLR object: an order read three times in one expression is
    // parsed once (and, as in Elsa, the script sees one object). Cleared per evaluation, as activities replace values.
    private readonly Dictionary<object, JsValue> _handedOver = new(ReferenceEqualityComparer.Instance);

    public JavaScriptRuntime(FlowRun run, JavaScriptLimits limits)
    {
        _run = run;
        _engine = new Engine(options =>
        {
            options.TimeoutInterval(limits.Timeout);
            options.MaxStatements(limits.MaxStatements);
            options.LimitMemory(limits.MaxMemoryBytes);
            options.LimitRecursion(limits.MaxRecursion);
            options.Strict = false;
        });
        _json = new JsonParser(_engine);
        var state = run.State;
        _engine.SetValue("getVariable", new Func<string, JsValue>(name => FromClr(run.GetVariable(name))));
        _engine.SetValue("setVariable", new Action<string, JsValue>((name, value) => run.SetVariable(name, Normalize(value.ToObject()))));
        _engine.SetValue("getInput", new Func<string, JsValue>(name => FromClr(state.Input.GetValueOrDefault(name))));
        _engine.SetValue("getOutputFrom", new Func<string, string?, JsValue>((activity, output) => FromClr(run.OutputOf(activity, output))));
        _engine.SetValue("getLastResult", new Func<JsValue>(() => FromClr(state.LastResult)));
        _engine.SetValue("getWorkflowDefinitionId", new Func<string>(() => run.Definition.DefinitionId));
        _engine.SetValue("getWorkflowDefinitionVersion", new Func<int>(() => run.Definition.Version));
        _engine.SetValue("getWorkflowInstanceId", new Func<string>(() => state.InstanceId));
        _engine.SetValue("getCorrelationId", new Func<string?>(() => state.CorrelationId));
        _engine.SetValue("setCorrelationId", new Action<string?>(value => state.CorrelationId = value));
        _engine.SetValue("isNullOrEmpty", new Func<string?, bool>(string.IsNullOrEmpty));
        _engine.SetValue("isNullOrWhiteSpace", new Func<string?, bool>(string.IsNullOrWhiteSpace));
        _engine.SetValue("newGuid", new Func<string>(() => Guid.NewGuid().ToString()));
        _engine.SetValue("newShortGuid", new Func<string>(() => Guid.NewGuid().ToString("N")[..11]));
        _engine.Execute("function toJson(x) { return JSON.stringify(x); }");
        foreach (var variable in run.Definition.Variables)
        {
            var name = variable.Name;
            var pascal = AccessorName(name);
            _engine.SetValue("get" + pascal, new Func<JsValue>(() => FromClr(run.GetVariable(name))));
            _engine.SetValue("set" + pascal, new Action<JsValue>(value => run.SetVariable(name, Normalize(value.ToObject()))));
        }
    }

    public object? Evaluate(string script)
    {
        var prepared = ScriptCache.JavaScript(script);
        _handedOver.Clear();
        // Only a script that names `variables` gets them all handed over: most read one with get<Var>(), and handing
        // a run's order, settings and mapped order to every expression was most of the host's work per order.
        if (!script.Contains("variables", StringComparison.Ordinal))
        {
            return Normalize(_engine.Evaluate(prepared).ToObject());
        }

        var variables = new Jint.Native.JsObject(_engine);
        var given = new Dictionary<string, JsValue>(_run.State.Variables.Count, StringComparer.Ordinal);
        foreach (var (name, value) in _run.State.Variables)
        {
            var js = FromClr(value);
            given[name] = js;
            variables.Set(name, js);
        }

        _engine.SetValue("variables", variables);
        var result = _engine.Evaluate(prepared);
        // `variables.X = ...` in a script writes back to the flow's variables (setVariable calls are already there).
        foreach (var (name, js) in given)
        {
            var now = variables.Get(name);
            if (!now.Equals(js))
            {
                _run.SetVariable(name, Normalize(now.ToObject()));
            }
        }

        return Normalize(result.ToObject());
    }

    public void SetGlobal(string name, Delegate value) => _engine.SetValue(name, value);

    /// <summary>What a variable's get/set functions are named after: <c>order</c> is read by <c>getOrder()</c>.</summary>
    internal static string AccessorName(string variableName) => variableName.Length == 0 ? "" : char.ToUpperInvariant(variableName[0]) + variableName[1..];

    /// <summary>The getters bound for every run (get + this name); a variable named alike replaces one (bound last).</summary>
    internal static readonly IReadOnlySet<string> BuiltInGetters = new HashSet<string>(StringComparer.Ordinal)
    {
        "Variable", "Input", "OutputFrom", "LastResult", "WorkflowDefinitionId", "WorkflowDefinitionVersion", "WorkflowInstanceId", "CorrelationId",
    };

    /// <summary>A JSON string's text, also when the value holds a .NET value written as a string (a date, a Guid).</summary>
    internal static string Text(System.Text.Json.Nodes.JsonValue value) =>
        value.TryGetValue<string>(out var text) ? text : System.Text.Json.JsonSerializer.Deserialize<string>(value.ToJsonString())!;

    /// <summary>A JSON number as a script sees it: every JavaScript number is a double.</summary>
    internal static double Number(System.Text.Json.Nodes.JsonValue number) =>
        double.Parse(number.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _engine.Dispose();

    private JsValue FromClr(object? value)
    {
        switch (value)
        {
            case null:
                return JsValue.Null;
            case JsonElement or System.Text.Json.Nodes.JsonNode when _handedOver.TryGetValue(value, out var known):
                return known;
            // JSON.parse, not the JavaScript parser: parsing a 5 KB order as a script (with Acornima, then running the
            // literal) was the host's largest cost per order (bench/loop.sh).
            case JsonElement element:
                return _handedOver[value] = _json.Parse(element.GetRawText());
            // A node is built as JavaScript values directly: what JSON.parse of its text gives, without writing the text.
            case System.Text.Json.Nodes.JsonNode node:
                return _handedOver[value] = FromJson(node);
            case decimal m:
                return new JsNumber((double)m);
            default:
                return JsValue.FromObject(_engine, value);
        }
    }

    private JsValue FromJson(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsValue.Null;
            case System.Text.Json.Nodes.JsonObject obj:
                var js = new Jint.Native.JsObject(_engine);
                foreach (var (name, member) in obj)
                {
                    js.CreateDataProperty(name, FromJson(member));
                }

                return js;
            case System.Text.Json.Nodes.JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = FromJson(array[i]);
                }

                return new Jint.Native.JsArray(_engine, items);
            default:
                var scalar = (System.Text.Json.Nodes.JsonValue)node;
                return scalar.GetValueKind() switch
                {
                    JsonValueKind.String => JsString.Create(Text(scalar)),
                    JsonValueKind.Number => JsNumber.Create(Number(scalar)),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
        }
    }

    // JS numbers come back as double; whole numbers read better (and compare equal to literals) as long.
    internal static object? Normalize(object? value) => value switch
    {
        double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        _ => value,
    };
}

/// <summary>Limits on one JavaScript evaluation.</summary>
public sealed record JavaScriptLimits(TimeSpan Timeout, int MaxStatements = 1_000_000, long MaxMemoryBytes = 64 * 1024 * 1024, int MaxRecursion = 256)
{
    public static readonly JavaScriptLimits Default = new(TimeSpan.FromSeconds(5));
}
