using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using Microsoft.Extensions.Configuration;

namespace Integration.Workflows.Triggers;

/// <summary>
/// The optional <c>customProperties.startWhen</c> of an <c>Elsa.Event</c> trigger: a JavaScript condition on the event,
/// evaluated before a run is started, so a flow that would end at once for most events of a busy topic (a store sync
/// switched off, a change it ignores) costs no run. It sees <c>getInput('payload' | 'topic' | 'company' | 'entityKey')</c>
/// and <c>getSettings(path)</c>, the host's configuration section at that path as JSON (numbered sections as arrays,
/// values as strings). Only its truth is used.
/// </summary>
internal static class EventStartCondition
{
    public const string Property = "startWhen";

    public static bool Holds(string condition, IReadOnlyDictionary<string, object?> input, IConfiguration? configuration)
    {
        using var engine = new Engine(options =>
        {
            options.TimeoutInterval(TimeSpan.FromSeconds(1));
            options.MaxStatements(100_000);
            options.LimitRecursion(64);
            options.Strict = false;
        });
        engine.SetValue("getInput", new Func<string, Jint.Native.JsValue>(name => input.GetValueOrDefault(name) switch
        {
            null => Jint.Native.JsValue.Null,
            JsonNode node => engine.Evaluate("(" + node.ToJsonString() + ")"),
            var other => Jint.Native.JsValue.FromObject(engine, Convert.ToString(other, CultureInfo.InvariantCulture)),
        }));
        // Only the connectors' settings, and never a secret among them: a condition is written in the designer, and
        // what it throws is logged.
        engine.SetValue("getSettings", new Func<string, Jint.Native.JsValue>(path =>
            configuration is not null && path.StartsWith("Connectors:", StringComparison.OrdinalIgnoreCase) && !IsSecret(path)
                && Section(configuration.GetSection(path)) is { } section ? engine.Evaluate("(" + section.ToJsonString() + ")") : Jint.Native.JsValue.Null));
        return Jint.Runtime.TypeConverter.ToBoolean(engine.Evaluate(condition));
    }

    private static JsonNode? Section(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(Section)]);
        }

        var json = new JsonObject();
        foreach (var child in children.Where(c => !IsSecret(c.Key)))
        {
            json[child.Key] = Section(child);
        }

        return json;
    }

    private static readonly string[] SecretWords = ["secret", "token", "password", "key", "credential"];

    private static bool IsSecret(string name)
    {
        var last = name[(name.LastIndexOf(':') + 1)..];
        return SecretWords.Any(word => last.Contains(word, StringComparison.OrdinalIgnoreCase));
    }
}
