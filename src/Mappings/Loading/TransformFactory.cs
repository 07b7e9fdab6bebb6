using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Transforms;

namespace Integration.Mappings.Loading;

/// <summary>Builds transforms from their JSON (<c>{"type": "round", "decimals": 2}</c>), checking each one's arguments.</summary>
internal static class TransformFactory
{
    public static IReadOnlyList<ValueTransform> Pipeline(JsonNode? json, string path, Action<string, string> problem, MappingSide left, MappingSide right)
    {
        switch (json)
        {
            case null:
                return [];
            case JsonObject single:
                return Create(single, path, problem, left, right) is { } one ? [one] : [];
            case JsonArray list:
                var transforms = new List<ValueTransform>(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonObject spec && Create(spec, $"{path}[{i}]", problem, left, right) is { } transform)
                    {
                        transforms.Add(transform);
                    }
                }

                return transforms;
            default:
                problem(path, "a transform is an object or an array of them");
                return [];
        }
    }

    private static ValueTransform? Create(JsonObject spec, string path, Action<string, string> problem, MappingSide left, MappingSide right)
    {
        var type = Text(spec["type"]);
        switch (type)
        {
            case "valueMap":
                if (spec["mapPath"] is { } mapPath)
                {
                    if (spec.ContainsKey("map"))
                    {
                        problem(path + ".map", "valueMap takes a 'map' or a 'mapPath', not both");
                        return null;
                    }

                    return Path(mapPath, path + ".mapPath", problem) is { } from
                        ? new ValueMapTransform(new Dictionary<string, JsonNode?>(), spec.ContainsKey("fallback"), spec["fallback"]?.DeepClone(), Bool(spec["passThrough"]), from)
                        : null;
                }

                if (spec["map"] is not JsonObject map || map.Count == 0)
                {
                    problem(path + ".map", "valueMap needs a non-empty 'map' object (source value -> target value), or a 'mapPath' to one");
                    return null;
                }

                return new ValueMapTransform(map.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal),
                    spec.ContainsKey("fallback"), spec["fallback"]?.DeepClone(), Bool(spec["passThrough"]));
            case "default":
                if (spec.ContainsKey("value") == spec.ContainsKey("path"))
                {
                    problem(path + ".value", "default needs a 'value' or a 'path' (one of them)");
                    return null;
                }

                return new DefaultTransform(spec["value"]?.DeepClone(), spec["path"] is { } dp ? Path(dp, path + ".path", problem) : null, Bool(spec["whenEmpty"]));
            case "concat":
                var with = new List<FieldPath>();
                if (spec["with"] is JsonArray parts)
                {
                    for (var i = 0; i < parts.Count; i++)
                    {
                        if (Path(parts[i], $"{path}.with[{i}]", problem) is { } p)
                        {
                            with.Add(p);
                        }
                    }
                }
                else if (spec["with"] is not null)
                {
                    problem(path + ".with", "concat 'with' is an array of paths");
                }

                return new ConcatTransform(with, Text(spec["separator"]) ?? " ", Text(spec["prefix"]) ?? "", Text(spec["suffix"]) ?? "");
            case "split":
                if (Text(spec["separator"]) is not { Length: > 0 } separator)
                {
                    problem(path + ".separator", "split needs a 'separator'");
                    return null;
                }

                return new SplitTransform(separator, Int(spec["index"]) ?? 0, Bool(spec["rest"]));
            case "number":
                return new NumberTransform(false);
            case "string":
                return new NumberTransform(true);
            case "round":
                var decimals = Int(spec["decimals"]);
                var currency = Text(spec["currency"]);
                var currencyPath = spec["currencyPath"] is { } cp ? Path(cp, path + ".currencyPath", problem) : null;
                if (RoundTransform.Mode(Text(spec["mode"])) is not { } mode)
                {
                    problem(path + ".mode", $"unknown rounding mode '{Text(spec["mode"])}' (use {string.Join(", ", RoundTransform.Modes)})");
                    return null;
                }

                if ((decimals is null ? 0 : 1) + (currency is null ? 0 : 1) + (currencyPath is null ? 0 : 1) != 1)
                {
                    problem(path, "round needs exactly one of 'decimals', 'currency' or 'currencyPath'");
                    return null;
                }

                if (decimals is < 0 or > 10)
                {
                    problem(path + ".decimals", "decimals is between 0 and 10");
                    return null;
                }

                if (currency is not null && !RoundTransform.IsKnownCurrency(currency))
                {
                    problem(path + ".currency", $"unknown currency '{currency}'");
                    return null;
                }

                return new RoundTransform(decimals, currency, currencyPath, mode);
            case "dateTime":
                var zone = Zone(spec["timeZone"], path + ".timeZone", problem, out var zoneOk);
                var assume = Zone(spec["assumeTimeZone"], path + ".assumeTimeZone", problem, out var assumeOk);
                return zoneOk && assumeOk ? new DateTimeTransform(zone, assume ?? TimeZoneInfo.Utc, Text(spec["format"]) ?? "dateTime") : null;
            case "unit":
                var (factor, unitProblem) = UnitTransform.Factor(Text(spec["from"]), Text(spec["to"]));
                if (unitProblem is not null)
                {
                    problem(path, "unit: " + unitProblem);
                    return null;
                }

                return new UnitTransform(factor, Int(spec["decimals"]));
            case "keyMap":
                if (Text(spec["entity"]) is not { Length: > 0 } entity)
                {
                    problem(path + ".entity", "keyMap needs the 'entity' whose ids it maps (e.g. customer)");
                    return null;
                }

                if (left.System != KeyMapTransform.Erp && right.System != KeyMapTransform.Erp)
                {
                    problem(path, "keyMap maps store ids to ERP ids: one side of the mapping must be 'erp'");
                    return null;
                }

                var notFound = Text(spec["notFound"]) ?? "fail";
                if (notFound is not ("fail" or "null"))
                {
                    problem(path + ".notFound", "notFound is 'fail' or 'null'");
                    return null;
                }

                return new KeyMapTransform(entity, Text(spec["system"]), notFound == "null");
            case "sum":
                return new SumTransform(spec["path"] is { } sp ? Path(sp, path + ".path", problem) : null, subtract: false,
                    spec["orPath"] is { } so ? Path(so, path + ".orPath", problem) : null);
            case "subtract":
                if (spec["path"] is not { } minus)
                {
                    problem(path + ".path", "subtract needs the 'path' of the values to take away");
                    return null;
                }

                return new SumTransform(Path(minus, path + ".path", problem), subtract: true,
                    spec["orPath"] is { } mo ? Path(mo, path + ".orPath", problem) : null);
            case "prorate":
                if (spec["part"] is not { } part || spec["whole"] is not { } whole)
                {
                    problem(path, "prorate needs the 'part' and the 'whole' whose ratio scales the value (e.g. current_quantity of quantity)");
                    return null;
                }

                return Path(part, path + ".part", problem) is { } partPath && Path(whole, path + ".whole", problem) is { } wholePath
                    ? new ProrateTransform(partPath, wholePath, spec["orPart"] is { } orPart ? Path(orPart, path + ".orPart", problem) : null)
                    : null;
            case "when":
                if (spec["path"] is not { } whenPath || spec.ContainsKey("equals") == Bool(spec["blank"]))
                {
                    problem(path, "when needs the 'path' of the value to test and either what it 'equals' or 'blank': true");
                    return null;
                }

                return Path(whenPath, path + ".path", problem) is { } tested
                    ? new WhenTransform(tested, spec["equals"]?.DeepClone(), Bool(spec["blank"]), Bool(spec["not"]), spec["else"]?.DeepClone())
                    : null;
            case "javascript":
                if (Text(spec["expression"]) is not { Length: > 0 } expression)
                {
                    problem(path + ".expression", "javascript needs an 'expression'");
                    return null;
                }

                try
                {
                    return new JavaScriptTransform(expression);
                }
                catch (Exception ex) when (ex is Acornima.ParseErrorException or Jint.ScriptPreparationException)
                {
                    problem(path + ".expression", $"JavaScript does not parse: {ex.Message}");
                    return null;
                }

            default:
                problem(path + ".type", $"unknown transform '{type}'");
                return null;
        }
    }

    public static FieldPath? Path(JsonNode? json, string path, Action<string, string> problem)
    {
        if (Text(json) is not { Length: > 0 } text)
        {
            problem(path, "a path is a non-empty string");
            return null;
        }

        try
        {
            return FieldPath.Parse(text);
        }
        catch (FormatException)
        {
            problem(path, $"'{text}' is not a path (a.b, a[0].b or @name)");
            return null;
        }
    }

    private static TimeZoneInfo? Zone(JsonNode? json, string path, Action<string, string> problem, out bool ok)
    {
        ok = true;
        if (Text(json) is not { } id)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            ok = false;
            problem(path, $"unknown time zone '{id}' (use an IANA id such as Africa/Cairo)");
            return null;
        }
    }

    private static string? Text(JsonNode? json) => json is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool Bool(JsonNode? json) => json is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static int? Int(JsonNode? json) => json is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
}
