using System.Text.Json.Nodes;
using static Integration.Connectors.Eta.Portal.EtaPortalAnswer;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// Reads the portal's answers tolerantly: keys in any casing (the nodes are parsed case-insensitively), missing lists
/// as empty, and each error detail as one <see cref="EtaError"/>.
/// </summary>
internal static class EtaPortalReader
{
    /// <summary>The answer to a submission; null when it names no submission.</summary>
    public static EtaSubmissionResult? Submission(JsonNode body)
    {
        var id = Str(body["submissionId"]) ?? Str(body["submissionUuid"]);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var accepted = Objects(body["acceptedDocuments"])
            .Select(d => new EtaAcceptedReceipt(Str(d["uuid"]) ?? "", Str(d["longId"]), Str(d["receiptNumber"])))
            .ToArray();
        var rejected = Objects(body["rejectedDocuments"])
            .Select(d => new EtaRejectedReceipt(Str(d["uuid"]) ?? "", Str(d["receiptNumber"]), SubmitErrors(d["error"]), Str((d["error"] as JsonObject)?["code"])))
            .ToArray();
        return new EtaSubmissionResult(id, accepted, rejected);
    }

    /// <summary>One page of submission details: its id and status (null when absent), receipts, and the page count (null when the answer has no <c>metadata</c>).</summary>
    public static (string? Id, string? Status, IReadOnlyList<EtaReceiptStatus> Receipts, int? TotalPages) SubmissionPage(JsonNode body, string submissionId)
    {
        var id = Str(body["submissionUuid"]) ?? Str(body["submissionId"]);
        var receipts = Objects(body["receipts"]).Select(r => Receipt(r, id ?? submissionId)).ToArray();
        int? pages = body["metadata"]?["totalPages"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        return (id, Str(body["status"]), receipts, pages);
    }

    /// <summary>A receipt of the details answers (<c>{"receipt": {...}}</c>, or the receipt itself).</summary>
    public static EtaReceiptStatus Receipt(JsonNode body, string? submissionId = null)
    {
        var receipt = body["receipt"] as JsonObject ?? body;
        return new EtaReceiptStatus(
            Str(receipt["uuid"]) ?? "",
            Str(receipt["receiptNumber"]),
            Str(receipt["status"]) ?? "",
            Str(receipt["longId"]),
            Str(receipt["submissionUuid"]) ?? Str(receipt["submissionId"]) ?? submissionId,
            ValidationErrors(receipt["errors"]));
    }

    // Submit: {code, message, target, propertyPath, details: [{code, message, target, propertyPath}]}.
    private static EtaError[] SubmitErrors(JsonNode? error)
    {
        if (error is not JsonObject top)
        {
            return error is null ? [] : [new EtaError(null, null, Str(error) ?? error.ToJsonString())];
        }

        var details = Objects(top["details"]).ToArray();
        return details.Length == 0 ? [SubmitError(top)] : [.. details.Select(SubmitError)];
    }

    private static EtaError SubmitError(JsonObject e) =>
        new(Str(e["propertyPath"]) ?? Str(e["target"]), Str(e["code"]), Str(e["message"]) ?? "");

    // Details: [{stepId, stepName, error: {propertyPath, errorCode, error, errorAr, innerError: [{propertyPath, errorCode, error}]}}].
    private static EtaError[] ValidationErrors(JsonNode? errors) =>
        [.. Objects(errors).SelectMany(step =>
        {
            var error = step["error"] as JsonObject ?? step;
            var inner = Objects(error["innerError"]).ToArray();
            return inner.Length == 0
                ? [ValidationError(error, Str(step["stepName"]))]
                : inner.Select(i => ValidationError(i, null));
        })];

    private static EtaError ValidationError(JsonObject e, string? fallback) =>
        new(Str(e["propertyPath"]), Str(e["errorCode"]), (e["error"] is JsonValue ? Str(e["error"]) : null) ?? fallback ?? "");

    private static IEnumerable<JsonObject> Objects(JsonNode? array) => array is JsonArray items ? items.OfType<JsonObject>() : [];
}
