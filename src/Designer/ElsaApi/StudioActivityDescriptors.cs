using System.Text.Json.Nodes;
using Integration.Workflows.Activities;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// Our activity descriptors (built-in and connector ones) as Elsa's <c>ActivityDescriptor</c> JSON, so Studio can draw,
/// edit and connect every activity a flow may use: inputs with UI hints Studio has editors for, outputs, and ports
/// (flow outcomes, plus the embedded slots of If, ForEach and While).
/// </summary>
internal static class StudioActivityDescriptors
{
    // Inputs that are plain JSON in Elsa (not Input<T>): Studio edits them without an expression wrapper.
    private static readonly HashSet<string> PlainTypes = ["Variable", "Cases"];

    private static readonly Dictionary<string, string[]> EmbeddedPorts = new(StringComparer.Ordinal)
    {
        ["Elsa.If"] = ["Then", "Else"],
        ["Elsa.ForEach"] = ["Body"],
        ["Elsa.While"] = ["Body"],
    };

    private static readonly Dictionary<(string Type, string Input), string[]> Choices = new()
    {
        [("Elsa.FlowSwitch", "mode")] = ["MatchFirst", "MatchAny"],
        [("Elsa.Switch", "mode")] = ["MatchFirst", "MatchAny"],
        [("Elsa.FlowJoin", "mode")] = ["WaitAny", "WaitAll", "WaitAllActive"],
        [("Elsa.FlowSendHttpRequest", "method")] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        [("Elsa.SendHttpRequest", "method")] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        [("Elsa.HttpEndpoint", "supportedMethods")] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    };

    public static JsonObject ToJson(ActivityDescriptor descriptor, IReadOnlyList<IInputOptionSource> sources)
    {
        var dot = descriptor.TypeName.LastIndexOf('.');
        var ports = new JsonArray();
        // Outcomes computed from inputs (switch cases, fork branches, status codes) come from Studio's port providers.
        foreach (var port in descriptor.Ports)
        {
            ports.Add(new JsonObject { ["name"] = port, ["displayName"] = port, ["type"] = "Flow", ["isBrowsable"] = true });
        }

        foreach (var port in EmbeddedPorts.GetValueOrDefault(descriptor.TypeName, []))
        {
            ports.Add(new JsonObject { ["name"] = port, ["displayName"] = port, ["type"] = "Embedded", ["isBrowsable"] = true });
        }

        return new JsonObject
        {
            ["typeName"] = descriptor.TypeName,
            ["namespace"] = dot > 0 ? descriptor.TypeName[..dot] : "",
            ["name"] = dot > 0 ? descriptor.TypeName[(dot + 1)..] : descriptor.TypeName,
            ["version"] = descriptor.Version,
            ["category"] = descriptor.Category,
            ["displayName"] = descriptor.DisplayName,
            ["description"] = descriptor.Description,
            ["kind"] = descriptor.IsTrigger ? "Trigger" : descriptor.HasExternalEffect ? "Task" : "Action",
            ["isContainer"] = descriptor.TypeName is "Elsa.Flowchart" or "Elsa.Sequence",
            // The root flowchart is not something to drop into a flow.
            ["isBrowsable"] = descriptor.TypeName is not "Elsa.Flowchart",
            ["isStart"] = descriptor.TypeName is "Elsa.Start",
            ["isTerminal"] = descriptor.Ports.Count == 0 && !descriptor.HasDynamicPorts,
            ["customProperties"] = new JsonObject(),
            ["constructionProperties"] = new JsonObject(),
            ["inputs"] = new JsonArray([.. descriptor.Inputs.Select((input, order) => Input(descriptor, input, order, sources))]),
            ["outputs"] = new JsonArray([.. descriptor.Outputs.Select((output, order) => (JsonNode)new JsonObject
            {
                ["name"] = Pascal(output.Name),
                ["typeName"] = output.TypeName,
                ["displayName"] = Words(output.Name),
                ["description"] = output.Description,
                ["order"] = order,
                ["isBrowsable"] = true,
                ["isSynthetic"] = false,
            })]),
            ["ports"] = ports,
        };
    }

    private static JsonObject Input(ActivityDescriptor activity, InputDescriptor input, int order, IReadOnlyList<IInputOptionSource> sources)
    {
        var (hint, specifications) = Specifications(activity, input, sources);
        return new JsonObject
        {
            ["name"] = Pascal(input.Name),
            ["typeName"] = input.TypeName,
            ["displayName"] = Words(input.Name),
            ["description"] = input.Description ?? (input.Required ? "Required." : null),
            ["order"] = order,
            ["isBrowsable"] = true,
            ["isSynthetic"] = false,
            ["isWrapped"] = !PlainTypes.Contains(input.TypeName),
            ["uiHint"] = hint,
            ["category"] = null,
            ["defaultValue"] = null,
            ["defaultSyntax"] = "Literal",
            ["isReadOnly"] = false,
            ["isSensitive"] = false,
            ["storageDriverType"] = null,
            ["uiSpecifications"] = specifications,
        };
    }

    /// <summary>
    /// The editor Studio shows for an input and what it needs (Elsa's <c>uiSpecifications</c>): a dropdown of the host's
    /// own values when a source serves the input (stores, mappings, flows, event names), a fixed list of choices, or
    /// the input's hint. Also what the options endpoint answers, so Studio can refresh the list.
    /// </summary>
    public static (string Hint, JsonObject Specifications) Specifications(ActivityDescriptor activity, InputDescriptor input, IReadOnlyList<IInputOptionSource> sources)
    {
        var served = sources.Where(s => s.Serves(activity.TypeName, input.Name)).ToList();
        if (served.Count > 0)
        {
            var options = served.SelectMany(s => s.Options(activity.TypeName, input.Name)).DistinctBy(o => o.Value, StringComparer.Ordinal).ToList();
            // An optional input may stay empty (the only store, and so on).
            var items = (input.Required ? options : [new InputOption("", ""), .. options]).Select(o => (JsonNode)new JsonObject { ["text"] = o.Text, ["value"] = o.Value, ["isSelected"] = false });
            return ("dropdown", new JsonObject { ["dropdown"] = new JsonObject { ["selectList"] = new JsonObject { ["items"] = new JsonArray([.. items]), ["isFlagsEnum"] = false, ["sortItems"] = false } } });
        }

        var choices = Choices.GetValueOrDefault((activity.TypeName, input.Name));
        var hint = UiHint(activity, input, choices);
        var specifications = new JsonObject();
        if (choices is not null)
        {
            var items = new JsonArray([.. choices.Select(c => (JsonNode)new JsonObject { ["text"] = c, ["value"] = c, ["isChecked"] = false })]);
            specifications[hint] = hint == "checklist"
                ? new JsonObject { ["checkList"] = new JsonObject { ["items"] = items, ["isFlagsEnum"] = false } }
                : new JsonObject { ["selectList"] = new JsonObject { ["items"] = items, ["isFlagsEnum"] = false, ["sortItems"] = false } };
        }

        return (hint, specifications);
    }

    /// <summary>Our hints in the spelling Studio has editors for; ports named by an input are Studio's dynamic outcomes.</summary>
    private static string UiHint(ActivityDescriptor activity, InputDescriptor input, string[]? choices) =>
        (activity.TypeName, input.Name) switch
        {
            ("Elsa.FlowFork", "branches") or ("Elsa.RunJavaScript", "possibleOutcomes") => "dynamic-outcomes",
            _ when choices is not null => input.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "checklist" : "dropdown",
            _ => input.UiHint switch
            {
                "check-list" => "checklist",
                "multi-text" => "multitext",
                "singleline" or "multiline" or "checkbox" or "checklist" or "multitext" or "code-editor" or "json-editor" or "dropdown" or "radiolist"
                    or "dictionary" or "datetime-picker" or "dynamic-outcomes" or "switch-editor" or "flow-switch-editor" or "http-status-codes"
                    or "variable-picker" or "input-picker" or "output-picker" or "outcome-picker" or "type-picker" or "workflow-definition-picker" => input.UiHint,
                _ when input.TypeName == "Boolean" => "checkbox",
                _ => "singleline",
            },
        };

    internal static string Pascal(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary><c>cronExpression</c> becomes "Cron expression".</summary>
    internal static string Words(string name)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in name)
        {
            if (text.Length == 0)
            {
                text.Append(char.ToUpperInvariant(c));
            }
            else if (char.IsUpper(c))
            {
                text.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
