using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;

namespace Integration.Mappings.Transforms;

/// <summary>
/// <c>javascript</c>: an expression for the rare case no built-in fits, with <c>value</c> (the field's value),
/// <c>item</c> (the source object) and <c>context</c> in scope. Parsed once per mapping version; engines are pooled
/// and limited in time, statements, memory and recursion, with no access to .NET types.
/// </summary>
public sealed class JavaScriptTransform : ValueTransform
{
    private readonly Prepared<Script> _script;
    private readonly bool _readsItem;
    private readonly bool _readsContext;
    private readonly ConcurrentBag<Jint.Engine> _engines = [];

    public JavaScriptTransform(string expression)
    {
        Expression = expression;
        _script = Prepare(expression);
        _readsItem = expression.Contains("item", StringComparison.Ordinal);
        _readsContext = expression.Contains("context", StringComparison.Ordinal);
    }

    public static TimeSpan Timeout { get; } = TimeSpan.FromMilliseconds(250);

    public string Expression { get; }

    public override string Name => "javascript";

    /// <summary>Parses the expression; throws when it does not parse.</summary>
    public static Prepared<Script> Prepare(string expression) =>
        Jint.Engine.PrepareScript(expression, options: new ScriptPreparationOptions { ParsingOptions = new ScriptParsingOptions { Tolerant = false } });

    public override MappingValue Apply(MappingValue value, TransformScope scope)
    {
        if (!_engines.TryTake(out var engine))
        {
            engine = new Jint.Engine(options =>
            {
                options.TimeoutInterval(Timeout);
                options.MaxStatements(10_000);
                options.LimitMemory(4 * 1024 * 1024);
                options.LimitRecursion(64);
                options.Strict = true;
            });
        }

        try
        {
            engine.SetValue("value", ToJs(engine, value.ToNode()));
            engine.SetValue("item", _readsItem ? ToJs(engine, scope.Item) : JsValue.Undefined);
            engine.SetValue("context", _readsContext ? ToJs(engine, scope.Context.ValuesAsJson()) : JsValue.Undefined);
            var result = engine.Evaluate(_script);
            if (result.IsUndefined() || result.IsNull())
            {
                return MappingValue.Missing;
            }

            var json = new JsonSerializer(engine).Serialize(result, JsValue.Undefined, JsValue.Undefined);
            return json.IsUndefined() ? MappingValue.Missing : MappingValue.Of(JsonNode.Parse(json.AsString()));
        }
        catch (Exception ex) when (ex is Jint.Runtime.JavaScriptException or Jint.Runtime.MemoryLimitExceededException
            or Jint.Runtime.StatementsCountOverflowException or TimeoutException or Jint.Runtime.RecursionDepthOverflowException)
        {
            throw new MappingValueException($"javascript: {ex.Message}");
        }
        finally
        {
            _engines.Add(engine);
        }
    }

    private static JsValue ToJs(Jint.Engine engine, JsonNode? node) => node switch
    {
        null => JsValue.Null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => new JsString(v.GetValue<string>()),
        _ => new JsonParser(engine).Parse(node.ToJsonString()),
    };
}
