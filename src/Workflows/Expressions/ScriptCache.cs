using System.Collections.Concurrent;
using Acornima.Ast;
using Fluid;
using Jint;

namespace Integration.Workflows.Expressions;

/// <summary>
/// Scripts and templates parsed once and reused by every run of every flow (keyed by their text): parsing is the
/// expensive part of evaluating an expression, so it is never repeated per evaluation.
/// </summary>
internal static class ScriptCache
{
    private static readonly ConcurrentDictionary<string, Prepared<Script>> Scripts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Templates = new(StringComparer.Ordinal);
    private static readonly FluidParser Parser = new();

    public static Prepared<Script> JavaScript(string source) =>
        Scripts.GetOrAdd(source, static s => Engine.PrepareScript(s, options: new ScriptPreparationOptions { ParsingOptions = new ScriptParsingOptions { Tolerant = false } }));

    public static IFluidTemplate Liquid(string source) =>
        Templates.GetOrAdd(source, static s => Parser.TryParse(s, out var template, out var error)
            ? template
            : throw new FormatException("Liquid: " + error));

    /// <summary>Null when the expression parses, else why not.</summary>
    public static string? Problem(FlowExpression expression)
    {
        try
        {
            switch (expression.Type)
            {
                case "JavaScript" when expression.Value is { Length: > 0 } script:
                    JavaScript(script);
                    break;
                case "Liquid" when expression.Value is { Length: > 0 } template:
                    Liquid(template);
                    break;
                case "Object" or "Json" when expression.Value is { Length: > 0 } json:
                    System.Text.Json.Nodes.JsonNode.Parse(json);
                    break;
            }

            return null;
        }
        catch (Exception ex) when (ex is Acornima.ParseErrorException or ScriptPreparationException or FormatException or System.Text.Json.JsonException or Jint.Runtime.JavaScriptException)
        {
            return $"{expression.Type} expression does not parse: {ex.Message}";
        }
    }
}
