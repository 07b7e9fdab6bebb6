using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Connectors.Eta.Canonical;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Eta.Activities;

/// <summary>Reads activity inputs given as JSON objects and writes results in the API's camelCase JSON.</summary>
internal static class EtaActivityJson
{
    public static T? Read<T>(ActivityContext context, string input) where T : class =>
        context.HasInput(input) && context.JsonInput(input) is JsonObject node ? node.Deserialize<T>(EtaJson.Options) : null;

    public static JsonNode? ToNode(object? value) => JsonSerializer.SerializeToNode(value, EtaJson.Options);

    public static T Service<T>(ActivityContext context) where T : notnull =>
        context.Services?.GetService(typeof(T)) is T service ? service : throw new InvalidOperationException($"{context.Node.Type} needs the ETA connector's services.");
}
