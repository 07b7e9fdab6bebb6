using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acornima.Ast;

namespace Integration.Workflows.Execution;

/// <summary>
/// A JavaScript expression that only reads a value the run holds and steps into its members: <c>getOrder()</c>,
/// <c>getSettings().store</c>, <c>getVariable('x')</c>, <c>getInput('payload').id</c>, <c>getOutputFrom('invoice',
/// 'document')</c>, <c>getLastResult()</c>, <c>variables.Order.customer</c>. Most inputs of the shipped flows are such
/// reads, and handing a 5 KB order to the engine (as JSON text, parsed into JavaScript objects, converted back) to
/// read it whole or take one member was most of the host's JavaScript work per order. Such a read is answered from the
/// run's JSON with what the engine gives: a copy of an object or array (as JSON, its numbers as the engine's doubles), a
/// string, a bool, a whole number as a long, another number as a double, null for a missing member. Anything else (a
/// member of a string or array, a null on the way, an Object prototype name, a value that is not JSON) is left to the
/// engine, which gives its answer or its error.
/// </summary>
internal sealed class ValueReadScript
{
    private static readonly ConcurrentDictionary<string, ValueReadScript?> Known = new(StringComparer.Ordinal);

    // Per flow version: which variable each getter name reads (null when two variables answer to it), worked out once.
    private static readonly ConditionalWeakTable<Model.FlowDefinition, Dictionary<string, string?>> Getters = [];

    // Names every JavaScript object answers through its prototype: a JSON object without such a member is not "undefined".
    private static readonly HashSet<string> PrototypeNames = new(StringComparer.Ordinal)
    {
        "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "toString", "valueOf",
        "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__",
    };

    private readonly ReadFrom _from;
    private readonly string _name;
    private readonly string? _output;
    private readonly string[] _members;

    private ValueReadScript(ReadFrom from, string name, string? output, string[] members)
    {
        _from = from;
        _name = name;
        _output = output;
        _members = members;
    }

    private enum ReadFrom
    {
        VariableGetter,
        Variable,
        Variables,
        Input,
        OutputFrom,
        LastResult,
    }

    /// <summary>The read <paramref name="script"/> makes, or null when it does anything else (worked out once per text).</summary>
    public static ValueReadScript? Of(string script) => Known.GetOrAdd(script, static s => Parse(s));

    /// <summary>Reads the value; false when the engine must evaluate the script after all.</summary>
    public bool TryRead(FlowRun run, out object? value)
    {
        value = null;
        if (!TryBase(run, out var current))
        {
            return false;
        }

        foreach (var member in _members)
        {
            if (current is not JsonObject obj)
            {
                return false; // a member of a string, an array, a number, or of null (a TypeError): the engine's answer
            }

            if (!obj.TryGetPropertyValue(member, out var next))
            {
                if (PrototypeNames.Contains(member))
                {
                    return false;
                }

                return true; // undefined
            }

            current = next;
        }

        return TryAsEngineGivesIt(current, out value);
    }

    private bool TryBase(FlowRun run, out object? value)
    {
        value = null;
        var getters = Getters.GetValue(run.Definition, IndexGetters);
        if (_from is not (ReadFrom.VariableGetter or ReadFrom.Variables) && getters.ContainsKey(_from switch
            {
                ReadFrom.Variable => "Variable",
                ReadFrom.Input => "Input",
                ReadFrom.OutputFrom => "OutputFrom",
                _ => "LastResult",
            }))
        {
            return false; // a variable's getter took the built-in's name (the engine binds it last)
        }

        switch (_from)
        {
            case ReadFrom.VariableGetter:
                // Not declared, declared twice alike, or a built-in's name: the engine's answer (or its error).
                if (!getters.TryGetValue(_name, out var declared) || declared is null || JavaScriptRuntime.BuiltInGetters.Contains(_name))
                {
                    return false;
                }

                value = run.GetVariable(declared);
                return true;
            case ReadFrom.Variable:
                value = run.GetVariable(_name);
                return true;
            case ReadFrom.Variables:
                if (!run.State.Variables.TryGetValue(_name, out value) && PrototypeNames.Contains(_name))
                {
                    return false;
                }

                return true;
            case ReadFrom.Input:
                value = run.State.Input.GetValueOrDefault(_name);
                return true;
            case ReadFrom.OutputFrom:
                value = run.OutputOf(_name, _output);
                return true;
            default:
                value = run.State.LastResult;
                return true;
        }
    }

    // What the engine's value becomes on the way back (JavaScriptRuntime: ToObject, whole numbers as long).
    private static bool TryAsEngineGivesIt(object? read, out object? value)
    {
        value = null;
        switch (read)
        {
            case null:
                return true;
            case JsonObject or JsonArray:
                value = CopyAsEngineGivesIt((JsonNode)read);
                return true;
            case JsonValue json:
                switch (json.GetValueKind())
                {
                    case JsonValueKind.String:
                        value = JavaScriptRuntime.Text(json);
                        return true;
                    case JsonValueKind.True or JsonValueKind.False:
                        value = json.GetValue<bool>();
                        return true;
                    case JsonValueKind.Null:
                        return true;
                    case JsonValueKind.Number:
                        value = JavaScriptRuntime.Normalize(JavaScriptRuntime.Number(json));
                        return true;
                    default:
                        return false;
                }

            case string or bool:
                value = read;
                return true;
            case int or long or decimal:
                value = JavaScriptRuntime.Normalize(System.Convert.ToDouble(read, CultureInfo.InvariantCulture));
                return true;
            default:
                return false; // a CLR object the engine wraps, a JsonElement: the engine converts those
        }
    }

    // An object or array as the engine's round trip gives it: a copy, its numbers as doubles (written as JSON and parsed,
    // as the conversion from the engine's objects did).
    private static JsonNode CopyAsEngineGivesIt(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, member) in obj)
                {
                    writer.WritePropertyName(name);
                    Write(writer, member);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                writer.WriteNumberValue(JavaScriptRuntime.Number(value));
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static Dictionary<string, string?> IndexGetters(Model.FlowDefinition definition)
    {
        var getters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in definition.Variables)
        {
            var name = JavaScriptRuntime.AccessorName(variable.Name);
            getters[name] = getters.ContainsKey(name) ? null : variable.Name;
        }

        return getters;
    }

    private static ValueReadScript? Parse(string script)
    {
        Acornima.Ast.Script program;
        try
        {
            program = new Acornima.Parser().ParseScript(script);
        }
        catch (Acornima.ParseErrorException)
        {
            return null;
        }

        if (program.Body is not [ExpressionStatement { Expression: var expression }])
        {
            return null;
        }

        var members = new List<string>();
        while (expression is MemberExpression { Computed: false, Optional: false, Property: Identifier property } member)
        {
            members.Insert(0, property.Name);
            expression = member.Object;
        }

        ValueReadScript? read = null;
        if (expression is CallExpression { Optional: false, Callee: Identifier callee } call)
        {
            read = Call(callee.Name, call.Arguments);
        }
        else if (expression is Identifier { Name: "variables" } && members.Count > 0)
        {
            read = new ValueReadScript(ReadFrom.Variables, members[0], null, []);
            members.RemoveAt(0);
        }

        return read is null ? null : new ValueReadScript(read._from, read._name, read._output, [.. members]);
    }

    private static ValueReadScript? Call(string callee, in NodeList<Expression> arguments)
    {
        var texts = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument is not StringLiteral literal)
            {
                return null;
            }

            texts.Add(literal.Value);
        }

        return (callee, texts.Count) switch
        {
            ("getVariable", 1) => new ValueReadScript(ReadFrom.Variable, texts[0], null, []),
            ("getInput", 1) => new ValueReadScript(ReadFrom.Input, texts[0], null, []),
            ("getOutputFrom", 1) => new ValueReadScript(ReadFrom.OutputFrom, texts[0], null, []),
            ("getOutputFrom", 2) => new ValueReadScript(ReadFrom.OutputFrom, texts[0], texts[1], []),
            ("getLastResult", 0) => new ValueReadScript(ReadFrom.LastResult, "", null, []),
            (['g', 'e', 't', >= 'A' and <= 'Z', ..], 0) => new ValueReadScript(ReadFrom.VariableGetter, callee[3..], null, []),
            _ => null,
        };
    }
}
