using System.Text.Json.Nodes;
using Integration.Mappings.Echoes;
using Integration.Mappings.Transforms;
using Integration.Workflows.Activities;

namespace Integration.Host.Mappings;

/// <summary>
/// <c>Mappings.RecordWritten</c>: after the target accepted what <c>Mappings.Apply</c> produced, records a fingerprint
/// of each written field in the echo guard, so that system's webhook about this write is recognised and dropped.
/// </summary>
internal sealed class MappingsRecordWrittenActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(
        "Mappings.RecordWritten", "Mappings", "Record written fields",
        [
            new InputDescriptor("result", "Object", true, "json-editor", "The result of Mappings.Apply."),
            new InputDescriptor("targetId", "String", true, Description: "The id of the record written (e.g. the store's new id)."),
        ],
        [new OutputDescriptor("recorded", "Int32", "How many fields were fingerprinted.")],
        ["Done"],
        Description: "Remembers what the host wrote, so its echo is not taken for a person's change.");

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var guard = context.Services?.GetService<IEchoGuard>() ?? throw new InvalidOperationException("Mappings.RecordWritten needs the host's echo guard (AddMappings).");
        var result = context.Input<JsonNode>("result") as JsonObject ?? throw new InvalidOperationException("Mappings.RecordWritten: 'result' is not a Mappings.Apply result.");
        var targetId = context.Input<string>("targetId") ?? throw new InvalidOperationException("Mappings.RecordWritten: 'targetId' is empty.");
        var system = (string?)result["targetSystem"] ?? throw new InvalidOperationException("Mappings.RecordWritten: 'result' has no targetSystem.");
        var entity = (string?)result["targetEntity"] ?? throw new InvalidOperationException("Mappings.RecordWritten: 'result' has no targetEntity.");
        var recordKey = EchoFingerprint.RecordKey((string?)result["store"], targetId);
        var now = context.Time.GetUtcNow();
        var fingerprints = (result["written"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(w => !((string?)w["field"] ?? "").Contains("].(", StringComparison.Ordinal))
            .Select(w => new EchoFingerprint(system, entity, recordKey, (string)w["path"]!, JsonValues.Hash(w["value"]), now))
            .ToList();
        await guard.RecordAsync(fingerprints, context.CancellationToken);
        context.SetOutput("recorded", fingerprints.Count);
        return ActivityResult.Done;
    }
}
