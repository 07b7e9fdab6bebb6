using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;

namespace Integration.Connectors.Erp.Activities;

/// <summary>Reads activity inputs as ERP requests and writes ERP documents as outputs, in the ERP API's camelCase JSON.</summary>
internal static class ErpJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static JsonNode? Node(ActivityContext context, string input) => context.JsonInput(input);

    public static T Read<T>(ActivityContext context, string input)
    {
        var node = Node(context, input) ?? throw new InvalidOperationException($"{context.Node.Type}: '{input}' is empty.");
        return node.Deserialize<T>(Options) ?? throw new InvalidOperationException($"{context.Node.Type}: '{input}' is not a {typeof(T).Name}.");
    }

    public static JsonNode? ToNode(object? value) => JsonSerializer.SerializeToNode(value, Options);
}
