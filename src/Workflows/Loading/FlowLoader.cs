using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Activities.BuiltIn;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;
using NJsonSchema;

namespace Integration.Workflows.Loading;

/// <summary>
/// Reads Elsa 3 workflow definitions and checks them fully before they can run: JSON, the JSON Schema
/// (<c>workflow-definition.schema.json</c>), then meaning: known activity types and versions, required inputs,
/// connections between activities and ports that exist, variables that exist, expressions that parse. Every problem
/// names the file, the JSON path and the reason.
/// </summary>
public sealed class FlowLoader(ActivityRegistry activities)
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(FlowLoader).Assembly.GetManifestResourceStream("workflow-definition.schema.json")!;
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    public FlowLoadResult LoadFile(string path) => Load(File.ReadAllText(path), path);

    public FlowLoadResult Load(string json, string file)
    {
        var problems = new List<FlowProblem>();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
                ?? throw new JsonException("the file is not a JSON object");
        }
        catch (JsonException ex)
        {
            return new FlowLoadResult(null, [new FlowProblem(file, "$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}")]);
        }

        foreach (var error in Schema.Value.Validate(json.TrimStart('\uFEFF')))
        {
            problems.Add(new FlowProblem(file, JsonPathOf(error.Path), $"{error.Kind} (line {error.LineNumber})"));
        }

        if (problems.Count > 0)
        {
            return new FlowLoadResult(null, problems);
        }

        try
        {
            var rootActivity = Builder.Activity((JsonObject)root["root"]!, "$.root");
            var variables = Variables(root["variables"] as JsonArray).Concat(rootActivity.SelfAndDescendants().SelectMany(a => Variables(a.Json["variables"] as JsonArray))).ToList();
            var definition = new FlowDefinition(root, root["definitionId"]!.GetValue<string>(), root["version"]?.GetValue<int>() ?? 1,
                root["name"]?.GetValue<string>(), variables, rootActivity);
            new Checker(activities, definition, file, problems).Check();
            return new FlowLoadResult(problems.Count == 0 ? definition : null, problems);
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or FormatException or KeyNotFoundException)
        {
            // A shape the schema lets through but the runtime cannot read: the file is refused, the host goes on.
            return new FlowLoadResult(null, [.. problems, new FlowProblem(file, "$", $"cannot be read: {ex.Message}")]);
        }
    }

    private static IEnumerable<FlowVariable> Variables(JsonArray? array) =>
        (array ?? []).OfType<JsonObject>().Select(v => new FlowVariable(
            v["id"]?.GetValue<string>() ?? v["name"]!.GetValue<string>(), v["name"]!.GetValue<string>(), v["typeName"]?.GetValue<string>() ?? "Object", v["value"],
            v["storageDriverTypeName"]?.GetValue<string>()));

    // NJsonSchema paths look like "#/root.activities[0].type".
    private static string JsonPathOf(string? path) =>
        string.IsNullOrEmpty(path) ? "$" : "$." + path.TrimStart('#', '/');

    private static class Builder
    {
        public static FlowActivityNode Activity(JsonObject json, string path)
        {
            var children = new List<FlowActivityNode>();
            if (json["activities"] is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    children.Add(Activity((JsonObject)array[i]!, $"{path}.activities[{i}]"));
                }
            }

            var embedded = new Dictionary<string, FlowActivityNode>(StringComparer.Ordinal);
            foreach (var name in new[] { "then", "else", "body", "default", "unmatchedStatusCode", "failedToConnect", "timeout" })
            {
                if (json[name] is JsonObject child && child["type"] is not null)
                {
                    embedded[name] = Activity(child, $"{path}.{name}");
                }
            }

            // Switch's cases and SendHttpRequest's expected status codes each may hold an activity.
            foreach (var name in new[] { "cases", "expectedStatusCodes" })
            {
                if (json[name] is JsonArray items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (items[i] is JsonObject item && item["activity"] is JsonObject child && child["type"] is not null)
                        {
                            embedded[$"{name}[{i}]"] = Activity(child, $"{path}.{name}[{i}].activity");
                        }
                    }
                }
            }

            var connections = new List<FlowConnection>();
            if (json["connections"] is JsonArray edges)
            {
                for (var i = 0; i < edges.Count; i++)
                {
                    var edge = (JsonObject)edges[i]!;
                    // Current form {source:{activity,port}, target:{activity,port}}; Elsa 3.0 form {source, target, sourcePort, targetPort}.
                    var (source, sourcePort) = Endpoint(edge["source"], edge["sourcePort"]);
                    var (target, targetPort) = Endpoint(edge["target"], edge["targetPort"]);
                    connections.Add(new FlowConnection(source, sourcePort ?? "Done", target, targetPort ?? "In", $"{path}.connections[{i}]"));
                }
            }

            return new FlowActivityNode(json, path, json["id"]!.GetValue<string>(), json["type"]!.GetValue<string>(), json["version"]?.GetValue<int>() ?? 1,
                json["name"]?.GetValue<string>(), children, connections, embedded);
        }

        private static (string Activity, string? Port) Endpoint(JsonNode? endpoint, JsonNode? legacyPort) => endpoint switch
        {
            JsonObject o => (o["activity"]!.GetValue<string>(), o["port"]?.GetValue<string>()),
            _ => (endpoint!.GetValue<string>(), legacyPort?.GetValue<string>()),
        };
    }

    private sealed class Checker(ActivityRegistry activities, FlowDefinition definition, string file, List<FlowProblem> problems)
    {
        public void Check()
        {
            CheckCommitStrategy("$.options.commitStrategyName", definition.Json["options"]?["commitStrategyName"], Execution.CommitStrategy.Workflow);
            CheckLogPersistence("$", definition.Json["customProperties"]);
            for (var i = 0; i < definition.Variables.Count; i++)
            {
                if (!Model.VariableStorage.IsKnown(definition.Variables[i].StorageDriverTypeName))
                {
                    Problem($"$.variables[{i}].storageDriverTypeName",
                        $"storage driver '{definition.Variables[i].StorageDriverTypeName}' is not known (use {string.Join(", ", Model.VariableStorage.Drivers.Select(d => d.DisplayName))})");
                }

                // A value the variable's type cannot hold would fail every run at its start: refused here instead.
                try
                {
                    Execution.VariableValue.Initial(definition.Variables[i]);
                }
                catch (InvalidOperationException ex)
                {
                    Problem($"$.variables[{i}].value", $"variable '{definition.Variables[i].Name}': the initial value {ex.Message}");
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in definition.AllActivities())
            {
                CheckCommitStrategy(node.Path + ".customProperties.commitStrategyName", node.Json["customProperties"]?["commitStrategyName"], Execution.CommitStrategy.Activity);
                CheckLogPersistence(node.Path, node.Json["customProperties"]);
                if (Execution.RetryPoint.Problem(node, definition) is { } retryFrom)
                {
                    Problem(node.Path + ".customProperties.retryFrom", retryFrom);
                }

                if (!seen.Add(node.Id))
                {
                    Problem(node.Path + ".id", $"activity id '{node.Id}' is used twice");
                }

                if (!activities.TryGet(node.Type, out var activity))
                {
                    Problem(node.Path + ".type", $"unknown activity type '{node.Type}'");
                    continue;
                }

                var descriptor = activity.Descriptor;
                if (node.Version > descriptor.Version)
                {
                    Problem(node.Path + ".version", $"{node.Type} version {node.Version} is not known (latest is {descriptor.Version})");
                }

                CheckInputs(node, descriptor);
                foreach (var (input, message) in activity.Validate(node))
                {
                    Problem($"{node.Path}.{input}", message);
                }

                CheckConnections(node);
            }
        }

        private void CheckLogPersistence(string path, JsonNode? customProperties)
        {
            foreach (var (where, reason) in Execution.LogPersistence.Problems(customProperties as JsonObject, path))
            {
                Problem(where, reason);
            }
        }

        private void CheckCommitStrategy(string path, JsonNode? value, IReadOnlyList<(string Name, string Description)> known)
        {
            if (value is null)
            {
                return;
            }

            // Empty is "none", as Studio saves a strategy left unset.
            if (value is not JsonValue text || !text.TryGetValue<string>(out var name) || (name.Length > 0 && !known.Any(k => k.Name == name)))
            {
                Problem(path, $"commit strategy {value.ToJsonString()} is not known (use {string.Join(", ", known.Select(k => k.Name))})");
            }
        }

        private void CheckInputs(FlowActivityNode node, ActivityDescriptor descriptor)
        {
            foreach (var input in descriptor.Inputs)
            {
                var json = node.Property(input.Name);
                var set = input.TypeName is "Variable" or "Cases" ? json is not null : FlowExpression.From(json) is { Value: not null } || json is JsonArray;
                if (input.Required && !set)
                {
                    Problem($"{node.Path}.{input.Name}", $"required input '{input.Name}' of {node.Type} is missing");
                }

                if (FlowExpression.From(json) is { } expression)
                {
                    CheckExpression(expression, $"{node.Path}.{input.Name}.expression");
                }
            }

            if (node.Type == "Elsa.SetVariable" && node.Property("variable") is JsonObject reference)
            {
                var name = reference["name"]?.GetValue<string>() ?? reference["id"]?.GetValue<string>();
                if (!definition.Variables.Any(v => v.Name == name || v.Id == name))
                {
                    Problem(node.Path + ".variable", $"variable '{name}' is not declared");
                }
            }

            if (node.Type == "Elsa.FlowSwitch")
            {
                var i = 0;
                foreach (var (_, condition) in FlowSwitchActivity.Cases(node.Property("cases")))
                {
                    if (condition is not null)
                    {
                        CheckExpression(condition, $"{node.Path}.cases[{i}].condition");
                    }

                    i++;
                }
            }

            foreach (var (name, value) in node.Json)
            {
                if (value is JsonObject binding && binding["memoryReference"]?["id"]?.GetValue<string>() is { } id
                    && FlowExpression.From(value) is null && !definition.Variables.Any(v => v.Id == id || v.Name == id))
                {
                    Problem($"{node.Path}.{name}.memoryReference", $"output '{name}' is bound to variable '{id}', which is not declared");
                }
            }
        }

        private void CheckExpression(FlowExpression expression, string path)
        {
            if (!FlowExpression.Types.Contains(expression.Type))
            {
                Problem(path + ".type", $"expression type '{expression.Type}' is not supported (use {string.Join(", ", FlowExpression.Types)})");
                return;
            }

            if (ScriptCache.Problem(expression) is { } problem)
            {
                Problem(path + ".value", problem);
            }

            if (expression.Type == "Variable" && expression.Value is { } variable && !variable.StartsWith('{')
                && !definition.Variables.Any(v => v.Name == variable || v.Id == variable))
            {
                Problem(path + ".value", $"variable '{variable}' is not declared");
            }
        }

        private void CheckConnections(FlowActivityNode flowchart)
        {
            var nodes = flowchart.Children.ToDictionary(c => c.Id, StringComparer.Ordinal);
            foreach (var connection in flowchart.Connections)
            {
                if (!nodes.TryGetValue(connection.SourceActivity, out var source))
                {
                    Problem(connection.Path + ".source", $"source activity '{connection.SourceActivity}' is not in this flowchart");
                    continue;
                }

                if (!nodes.ContainsKey(connection.TargetActivity))
                {
                    Problem(connection.Path + ".target", $"target activity '{connection.TargetActivity}' is not in this flowchart");
                    continue;
                }

                if (activities.TryGet(source.Type, out var activity) && !Ports(source, activity.Descriptor).Contains(connection.SourcePort))
                {
                    Problem(connection.Path + ".source.port", $"{source.Type} '{source.Id}' has no port '{connection.SourcePort}' (it has {string.Join(", ", Ports(source, activity.Descriptor))})");
                }
            }
        }

        private static List<string> Ports(FlowActivityNode node, ActivityDescriptor descriptor)
        {
            var ports = descriptor.Ports.ToList();
            switch (node.Type)
            {
                case "Elsa.FlowSwitch":
                    ports.AddRange(FlowSwitchActivity.Cases(node.Property("cases")).Select(c => c.Label));
                    break;
                case "Elsa.FlowFork":
                case "Elsa.RunJavaScript":
                case "Elsa.FlowSendHttpRequest":
                    var list = FlowExpression.From(node.Property(node.Type switch
                    {
                        "Elsa.FlowFork" => "branches",
                        "Elsa.FlowSendHttpRequest" => "expectedStatusCodes",
                        _ => "possibleOutcomes",
                    }))?.Value ?? (node.Type == "Elsa.FlowSendHttpRequest" ? "[200]" : null);
                    if (list is not null)
                    {
                        ports.AddRange(list.TrimStart().StartsWith('[')
                            ? JsonNode.Parse(list)!.AsArray().Select(p => p!.ToString())
                            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    }

                    break;
            }

            return ports;
        }

        private void Problem(string path, string message) => problems.Add(new FlowProblem(file, path, message));
    }
}

/// <summary>A loaded flow, or why it could not be loaded.</summary>
public sealed record FlowLoadResult(FlowDefinition? Definition, IReadOnlyList<FlowProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}
