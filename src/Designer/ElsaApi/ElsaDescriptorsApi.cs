using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// What Studio asks the server about before it can edit: activity and expression descriptors, variable types, storage
/// drivers, strategies (our runtime has one of each, so those lists are empty and Studio hides the choice), features.
/// </summary>
internal static class ElsaDescriptorsApi
{
    // The expression types our loader accepts (FlowExpression.Types), with the Monaco language Studio edits them in.
    private static readonly (string Type, string DisplayName, string? Language, bool Browsable)[] Expressions =
    [
        ("Literal", "Literal", null, true),
        ("Object", "Object", "json", true),
        ("Json", "Json", "json", false),
        ("JavaScript", "JavaScript", "javascript", true),
        ("Liquid", "Liquid", "liquid", true),
        ("Variable", "Variable", null, false),
        ("Input", "Input", null, false),
    ];

    private static readonly (string TypeName, string DisplayName, string Category)[] VariableTypes =
    [
        ("Object", "Object", "Primitives"), ("String", "String", "Primitives"), ("Boolean", "Boolean", "Primitives"),
        ("Int32", "Int32", "Primitives"), ("Int64", "Int64", "Primitives"), ("Decimal", "Decimal", "Primitives"), ("Double", "Double", "Primitives"),
        ("DateTimeOffset", "DateTimeOffset", "Primitives"), ("TimeSpan", "TimeSpan", "Primitives"), ("Guid", "Guid", "Primitives"),
        ("JsonObject", "JsonObject", "Dynamic"), ("ExpandoObject", "ExpandoObject", "Dynamic"),
    ];

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/descriptors/activities", (ActivityRegistry registry, IEnumerable<IInputOptionSource> sources) =>
        {
            IReadOnlyList<IInputOptionSource> served = [.. sources];
            var items = registry.Descriptors.Select(d => (JsonNode)StudioActivityDescriptors.ToJson(d, served)).ToArray();
            return Results.Json(new JsonObject { ["items"] = new JsonArray(items), ["count"] = items.Length });
        });
        // Elsa's option providers: the input's UI specifications now ({"dropdown": {"selectList": ...}}), from the host's own values.
        api.MapPost("/descriptors/activities/{activityTypeName}/options/{propertyName}", (string activityTypeName, string propertyName, ActivityRegistry registry, IEnumerable<IInputOptionSource> sources) =>
        {
            var activity = registry.Descriptors.FirstOrDefault(d => d.TypeName == activityTypeName);
            var input = activity?.Inputs.FirstOrDefault(i => string.Equals(i.Name, propertyName, StringComparison.OrdinalIgnoreCase));
            if (activity is null || input is null)
            {
                return Results.Problem(statusCode: 404, type: "unknown-activity-input", title: $"No input {propertyName} on activity {activityTypeName}.");
            }

            return Results.Json(new JsonObject { ["items"] = StudioActivityDescriptors.Specifications(activity, input, [.. sources]).Specifications });
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);
        api.MapGet("/descriptors/expression-descriptors", () => List(Expressions.Select(e => new JsonObject
        {
            ["type"] = e.Type,
            ["displayName"] = e.DisplayName,
            ["isSerializable"] = true,
            ["isBrowsable"] = e.Browsable,
            ["properties"] = e.Language is null ? new JsonObject() : new JsonObject { ["MonacoLanguage"] = e.Language },
        })));
        api.MapGet("/descriptors/variables", () => List(VariableTypes.Select(v => new JsonObject
        {
            ["typeName"] = v.TypeName,
            ["displayName"] = v.DisplayName,
            ["category"] = v.Category,
            ["description"] = null,
        })));
        // Variables live in the run's state in PostgreSQL (flows.instance.variables), except on the Memory driver (VariableStorage).
        api.MapGet("/descriptors/storage-drivers", () => List(VariableStorage.Drivers.Select(d =>
            new JsonObject { ["typeName"] = d.TypeName, ["displayName"] = d.DisplayName, ["priority"] = d.Priority, ["deprecated"] = d.Deprecated })));
        foreach (var path in new[] { "/descriptors/workflow-activation-strategies", "/descriptors/incident-strategies",
                     "/descriptors/output-converters", "/resilience/strategies" })
        {
            api.MapGet(path, () => List([]));
        }

        // The commit strategies the runner knows (FlowRunner): Studio offers them in the flow's and an activity's settings.
        api.MapGet("/descriptors/commit-strategies/workflows", () => List(CommitStrategy.Workflow.Select(Strategy)));
        api.MapGet("/descriptors/commit-strategies/activities", () => List(CommitStrategy.Activity.Select(Strategy)));
        // What the runner's journal keeps (LogPersistence): Studio offers them in the flow's and an activity's log settings.
        api.MapGet("/descriptors/log-persistence-strategies", () => List(LogPersistence.Strategies.Select(s =>
            new JsonObject { ["typeName"] = s.TypeName, ["displayName"] = s.DisplayName, ["description"] = "" })));
        api.MapGet("/features/installed", () => List([]));
        // Studio reads 404 as "feature not installed" (real-time updates, alterations, ...).
        api.MapGet("/features/installed/{fullName}", () => Results.NotFound());
        api.MapGet("/package/version", () => Results.Json(new JsonObject { ["packageVersion"] = "3.5.0" }));

        // Monaco's type definitions for JavaScript expressions: the functions our Jint engine offers.
        api.MapPost("/scripting/javascript/type-definitions/{definitionId}", () => Results.Text(JavaScriptTypes, "application/x-typescript", Encoding.UTF8))
            .RequireAuthorization(DesignerRegistration.ReadPolicy);
    }

    private static JsonObject Strategy((string Name, string Description) strategy) =>
        new() { ["name"] = strategy.Name, ["displayName"] = strategy.Name, ["description"] = strategy.Description };

    private static IResult List(IEnumerable<JsonObject> items)
    {
        var array = new JsonArray([.. items]);
        return Results.Json(new JsonObject { ["items"] = array, ["count"] = array.Count });
    }

    private const string JavaScriptTypes = """
        declare function getVariable(name: string): any;
        declare function setVariable(name: string, value: any): void;
        declare function getInput(name: string): any;
        declare function getOutputFrom(activityIdOrName: string, outputName?: string): any;
        declare function getLastResult(): any;
        declare function getWorkflowDefinitionId(): string;
        declare function getWorkflowInstanceId(): string;
        declare function getCorrelationId(): string | null;
        declare function setCorrelationId(value: string): void;
        declare function isNullOrEmpty(value: string | null | undefined): boolean;
        declare function isNullOrWhiteSpace(value: string | null | undefined): boolean;
        declare function newGuid(): string;
        declare function toJson(value: any): string;
        declare const variables: { [name: string]: any };
        """;
}
