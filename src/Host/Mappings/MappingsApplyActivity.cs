using System.Text.Json.Nodes;
using Integration.Mappings.Engine;
using Integration.Workflows.Activities;

namespace Integration.Host.Mappings;

/// <summary>
/// <c>Mappings.Apply</c>: applies a mapping of <c>mappings/</c> to a document from one system, onto the other system's
/// current record (none when it is new). Outputs the whole result, the target document and the changes alone; follows
/// <c>Done</c>, <c>Failed</c> when a field could not be mapped, or <c>Conflict</c> when a person must decide.
/// </summary>
internal sealed class MappingsApplyActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Mappings.Apply", "Mappings", "Apply mapping",
        [
            new InputDescriptor("mapping", "String", true, Description: "The mapping id, e.g. shopify-order__erp-sales-order."),
            new InputDescriptor("from", "String", true, Description: "The system the document comes from (one of the mapping's two)."),
            new InputDescriptor("document", "Object", true, "json-editor", "The source document."),
            new InputDescriptor("current", "Object", false, "json-editor", "The target's current record; empty when it is new."),
            new InputDescriptor("store", "String", false, Description: "The store (key map scope); default when there is one."),
            new InputDescriptor("values", "Object", false, "json-editor", "Named values fields read as @name (company, warehouse, accounts)."),
        ],
        [
            new OutputDescriptor("result", "Object", "Written, skipped (and why), failed fields and conflicts."),
            new OutputDescriptor("target", "Object", "The target record as it will be."),
            new OutputDescriptor("changes", "Object", "Only what is written."),
        ],
        ["Done", "Failed", "Conflict"],
        Description: "Maps a document between two systems, writing only the fields the source system masters.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var mapper = context.Services?.GetService<Mapper>() ?? throw new InvalidOperationException("Mappings.Apply needs the host's mapper (AddMappings).");
        var document = context.JsonInput("document") ?? throw new InvalidOperationException("Mappings.Apply: 'document' is empty.");
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (context.JsonInput("values") is JsonObject named)
        {
            foreach (var (name, value) in named)
            {
                values[name] = value?.DeepClone();
            }
        }

        var result = await mapper.ApplyAsync(context.Input<string>("mapping")!, context.Input<string>("from")!, document, context.JsonInput("current"),
            new MappingContext { Store = context.Input<string>("store") ?? "default", Values = values, CancellationToken = context.CancellationToken });
        context.SetOutput("result", result.ToJson());
        context.SetOutput("target", result.Document.DeepClone());
        context.SetOutput("changes", result.Changes.DeepClone());
        return !result.Succeeded ? ActivityResult.Outcome("Failed")
            : result.NeedsPerson ? ActivityResult.Outcome("Conflict")
            : ActivityResult.Done;
    }
}
