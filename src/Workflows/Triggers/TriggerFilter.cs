using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;
using Jint;
using Jint.Native;
using Microsoft.Extensions.Configuration;

namespace Integration.Workflows.Triggers;

/// <summary>
/// The optional <c>filter</c> of a trigger (an ERP event's <c>Elsa.Event</c>, a store's webhook): which events start a
/// run, decided before a run exists (an event that does not match creates no run and no journal). Either a declarative
/// match, an Object whose keys are payload field paths (<c>change</c>, <c>source.system</c>; for the envelope
/// <c>$topic</c>, <c>$company</c> and <c>$entityKey</c> of an ERP event, <c>$topic</c> and <c>$store</c> of a webhook)
/// and whose values are the value the field must have, a list of values it may have, or null (absent); every key must
/// match, and a field holding a list matches when any of its items does. Or a JavaScript condition (Jint), with
/// <c>getInput('payload')</c>, <c>getInput('topic')</c> and the other envelope fields, <c>payload</c> and
/// <c>getSettings('Connectors:...')</c> (the connectors' settings as JSON, secrets left out: a flow for stores can skip
/// events on a host where no store wants them); the event starts a run when it is truthy.
/// </summary>
public sealed class TriggerFilter
{
    /// <summary>The envelope fields a declarative match of an ERP event (<c>Elsa.Event</c>) may name besides the payload's.</summary>
    public static readonly IReadOnlyList<string> EventEnvelope = ["$topic", "$company", "$entityKey"];

    /// <summary>The envelope fields a declarative match of a store's webhook delivery may name besides the payload's.</summary>
    public static readonly IReadOnlyList<string> WebhookEnvelope = ["$topic", "$store"];

    // Parse checks against both: which envelope a trigger has, its activity's validation checked when the flow was loaded.
    private static readonly IReadOnlyList<string> AnyEnvelope = [.. EventEnvelope.Union(WebhookEnvelope)];
    private static readonly ConditionalWeakTable<FlowActivityNode, TriggerFilter> Compiled = [];
    private static readonly TriggerFilter Everything = new(null, null);

    private readonly IReadOnlyList<(string Path, JsonNode? Wanted)>? _match;
    private readonly string? _script;

    private TriggerFilter(IReadOnlyList<(string Path, JsonNode? Wanted)>? match, string? script)
    {
        _match = match;
        _script = script;
    }

    /// <summary>Whether no filter is set: every event starts a run.</summary>
    public bool TakesEverything => _script is null && _match is null;

    /// <summary>How the filter was written, for logs: the match's JSON, the script, or <c>*</c>.</summary>
    public string Description => _script ?? (_match is null ? "*" : string.Join(", ", _match.Select(m => $"{m.Path}={m.Wanted?.ToJsonString() ?? "null"}")));

    /// <summary>The filter of a trigger node (parsed once per loaded flow); one that lets every event through when none is set.</summary>
    public static TriggerFilter Of(FlowActivityNode trigger) => Compiled.GetValue(trigger, static node => Parse(node.Property("filter")));

    /// <summary>The filter written in a flow file as an input (<c>{typeName, expression}</c>, or a bare JSON object).</summary>
    public static TriggerFilter Parse(JsonNode? input)
    {
        if (Problems(input, AnyEnvelope).FirstOrDefault() is { Message: { } message })
        {
            throw new FormatException(message);
        }

        var expression = FlowExpression.From(input);
        if (expression?.Value is null or "")
        {
            return Everything;
        }

        if (expression.Type == "JavaScript")
        {
            return new TriggerFilter(null, expression.Value);
        }

        var match = (JsonObject)JsonNode.Parse(expression.Value)!;
        return new TriggerFilter([.. match.Select(p => (p.Key, p.Value?.DeepClone()))], null);
    }

    /// <summary>
    /// What is wrong with a filter as written for a trigger whose envelope is <paramref name="envelope"/>, each with the
    /// JSON path below the input (<c>expression.value</c>, ...); empty when it can be used.
    /// </summary>
    public static IEnumerable<(string Path, string Message)> Problems(JsonNode? input, IReadOnlyList<string> envelope)
    {
        var expression = FlowExpression.From(input);
        if (expression?.Value is null or "")
        {
            yield break;
        }

        // A script that does not parse, or an Object that is not JSON, the loader reports as for any input.
        var at = input is JsonObject o && o["expression"] is JsonObject ? "expression.value" : "";
        switch (expression.Type)
        {
            case "JavaScript":
                yield break;
            case "Object" or "Json" when ScriptCache.Problem(expression) is not null:
                yield break;
            case "Object" or "Json" or "Literal":
                break;
            default:
                yield return (input is JsonObject ? "expression.type" : "", $"a filter is evaluated before a run exists: write it as an Object (field -> value or list of values) or as JavaScript, not {expression.Type}");
                yield break;
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(expression.Value);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is not JsonObject fields)
        {
            yield return (at, "a filter's match must be a JSON object of payload field paths and the values they must have");
            yield break;
        }

        if (fields.Count == 0)
        {
            yield return (at, "a filter's match names no field (leave the filter out to take every event)");
        }

        foreach (var (path, wanted) in fields)
        {
            var here = Join(at, path);
            if (path.StartsWith('$') ? !envelope.Contains(path) : path.Split('.').Any(s => s.Length == 0))
            {
                yield return (here, $"'{path}' is not a field path (segments joined by '.', or one of {string.Join(", ", envelope)})");
            }

            var values = wanted is JsonArray list ? list.ToArray() : [wanted];
            if (wanted is JsonArray { Count: 0 })
            {
                yield return (here, $"'{path}' lists no value, so no event would ever match");
            }

            if (values.Any(v => v is JsonObject or JsonArray))
            {
                yield return (here, $"'{path}' must be matched by a value (text, number, true/false, null) or a list of them");
            }
        }
    }

    /// <summary>
    /// Whether an event (the trigger's input: payload, topic, company, entityKey) starts a run; a JavaScript condition
    /// reads <paramref name="settings"/> through <c>getSettings</c>.
    /// </summary>
    /// <exception cref="EventFilterException">The JavaScript condition failed on this event.</exception>
    public bool Matches(IReadOnlyDictionary<string, object?> input, IConfiguration? settings = null) =>
        Matches(input, settings, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>
    /// As <see cref="Matches(IReadOnlyDictionary{string, object?}, IConfiguration?)"/>, a script given <paramref name="timeout"/>
    /// and, when it runs out of time, once more <paramref name="busyTimeout"/>: on a loaded machine (a 2-core host starting,
    /// a GC pause) a one-line filter can miss a second, and an event failed for that would never reach its flows. A
    /// runaway script meets the statement limit instead.
    /// </summary>
    internal bool Matches(IReadOnlyDictionary<string, object?> input, IConfiguration? settings, TimeSpan timeout, TimeSpan busyTimeout)
    {
        if (_script is not null)
        {
            try
            {
                return Evaluate(_script, input, settings, timeout, rethrowTimeout: true);
            }
            catch (TimeoutException)
            {
                return Evaluate(_script, input, settings, busyTimeout, rethrowTimeout: false);
            }
        }

        if (_match is null)
        {
            return true;
        }

        var payload = AsNode(input.GetValueOrDefault("payload"));
        foreach (var (path, wanted) in _match)
        {
            var actual = path.StartsWith('$') ? AsNode(input.GetValueOrDefault(path[1..])) : Field(payload, path);
            var candidates = actual is JsonArray items ? items.ToArray() : [actual];
            var accepted = wanted is JsonArray list ? list.ToArray() : [wanted];
            if (!candidates.Any(c => accepted.Any(a => Same(c, a))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Evaluate(string script, IReadOnlyDictionary<string, object?> input, IConfiguration? settings, TimeSpan timeout, bool rethrowTimeout)
    {
        try
        {
            using var engine = new Engine(options =>
            {
                options.TimeoutInterval(timeout);
                options.MaxStatements(100_000);
                options.LimitMemory(16 * 1024 * 1024);
                options.LimitRecursion(64);
                options.Strict = false;
            });
            var values = input.ToDictionary(p => p.Key, p => AsNode(p.Value) is { } node ? new Jint.Native.Json.JsonParser(engine).Parse(node.ToJsonString()) : JsValue.Null, StringComparer.Ordinal);
            engine.SetValue("getInput", new Func<string, JsValue>(name => values.GetValueOrDefault(name) ?? JsValue.Undefined));
            engine.SetValue("payload", values.GetValueOrDefault("payload") ?? JsValue.Null);
            engine.SetValue("getSettings", new Func<string, JsValue>(path =>
                ConnectorSettingsJson.Read(settings, path) is { } section ? new Jint.Native.Json.JsonParser(engine).Parse(section.ToJsonString()) : JsValue.Null));
            engine.SetValue("isNullOrEmpty", new Func<string?, bool>(string.IsNullOrEmpty));
            engine.SetValue("isNullOrWhiteSpace", new Func<string?, bool>(string.IsNullOrWhiteSpace));
            return TypeConverterTruthy(engine.Evaluate(ScriptCache.JavaScript(script)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException && !(rethrowTimeout && ex is TimeoutException))
        {
            // Whatever the script did wrong (a TypeError, a limit reached), the event is not lost: the caller reports it.
            throw new EventFilterException($"JavaScript filter failed: {ex.Message}", ex);
        }
    }

    private static bool TypeConverterTruthy(JsValue value) => Jint.Runtime.TypeConverter.ToBoolean(value);

    private static JsonNode? Field(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(segment, out var next) ? next : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static JsonNode? AsNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node,
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value),
    };

    private static bool Same(JsonNode? actual, JsonNode? wanted)
    {
        if (actual is null || wanted is null)
        {
            return actual is null && wanted is null;
        }

        if (actual is not JsonValue a || wanted is not JsonValue w)
        {
            return false;
        }

        return (a.GetValueKind(), w.GetValueKind()) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => a.GetValue<decimal>() == w.GetValue<decimal>(),
            (JsonValueKind.String, JsonValueKind.String) => a.GetValue<string>() == w.GetValue<string>(),
            // An id sent as text is the same id as a number in the filter (and the other way round).
            (JsonValueKind.String, JsonValueKind.Number) => a.GetValue<string>() == w.GetValue<decimal>().ToString(CultureInfo.InvariantCulture),
            (JsonValueKind.Number, JsonValueKind.String) => a.GetValue<decimal>().ToString(CultureInfo.InvariantCulture) == w.GetValue<string>(),
            var (x, y) => x == y && x is JsonValueKind.True or JsonValueKind.False,
        };
    }

    private static string Join(string at, string path) => at.Length == 0 ? path : $"{at}.{path}";
}
