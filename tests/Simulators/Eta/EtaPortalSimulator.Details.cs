using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using WireMock;

namespace Integration.Simulators.Eta;

public sealed partial class EtaPortalSimulator
{
    // GET /api/v1/receiptsubmissions/{id}/details?PageNo&PageSize: one poll; InProgress until DecisionAfterPolls polls were answered.
    private ResponseMessage SubmissionDetails(IRequestMessage request, string id)
    {
        if (Authorize(request) is null)
        {
            return Reply(HttpStatusCode.Unauthorized, null);
        }

        if (!_submissions.TryGetValue(id, out var submission))
        {
            return Reply(HttpStatusCode.NotFound, Error("NotFound", $"No submission '{id}'."));
        }

        if (submission.Polls >= _decisionAfterPolls)
        {
            Decide(submission);
        }

        var pageNo = Math.Max(1, PositiveQuery(request, "PageNo") ?? 1);
        var pageSize = Math.Max(1, PositiveQuery(request, "PageSize") ?? 100);
        var count = submission.Receipts.Count;
        var page = new JsonArray([.. submission.Receipts.Skip((pageNo - 1) * pageSize).Take(pageSize).Select(r => (JsonNode)ReceiptSummary(r))]);
        var answer = new JsonObject
        {
            ["submissionUuid"] = submission.Id,
            ["dateTimeReceived"] = submission.Received.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["deviceSerialNumber"] = submission.DeviceSerial,
            ["receiptsCount"] = count,
            ["invalidReceiptsCount"] = submission.Receipts.Count(r => r.Status == "Invalid"),
            ["status"] = submission.Status,
            ["receipts"] = page,
            ["metadata"] = new JsonObject { ["totalPages"] = (count + pageSize - 1) / pageSize, ["totalCount"] = count },
        };

        submission.Polls++;
        if (submission.Polls >= _decisionAfterPolls)
        {
            Decide(submission);
        }

        return Reply(HttpStatusCode.OK, answer);
    }

    // GET /api/v1/receipts/{uuid}/details: not a poll.
    private ResponseMessage ReceiptDetails(IRequestMessage request, string uuid)
    {
        if (Authorize(request) is null)
        {
            return Reply(HttpStatusCode.Unauthorized, null);
        }

        if (_receiptLookupsForbidden)
        {
            return Reply(HttpStatusCode.Forbidden, Error("Forbidden", "The taxpayer may not read this receipt."));
        }

        if (!_receiptsByUuid.TryGetValue(uuid, out var receipt) || (_unindexedLookups > 0 && _unindexedLookups-- > 0))
        {
            return Reply(HttpStatusCode.NotFound, Error("NotFound", $"No receipt '{uuid}'."));
        }

        var summary = ReceiptSummary(receipt);
        summary.Insert(1, "submissionUuid", receipt.SubmissionId);
        return Reply(HttpStatusCode.OK, new JsonObject { ["receipt"] = summary });
    }

    private static JsonObject ReceiptSummary(EtaReceiptState receipt) => new()
    {
        ["uuid"] = receipt.Uuid,
        ["receiptNumber"] = receipt.ReceiptNumber,
        ["dateTimeIssued"] = receipt.DateTimeIssued,
        ["status"] = receipt.Status,
        ["longId"] = receipt.LongId,
        ["totalAmount"] = receipt.TotalAmount,
        ["errors"] = ErrorItems(receipt.Errors),
    };

    // One validation step item: its error is the first error, innerError lists them all.
    private static JsonArray ErrorItems(IReadOnlyList<SimulatedEtaError> errors) => errors.Count == 0
        ? []
        : new JsonArray(new JsonObject
        {
            ["stepId"] = "8b5f1c3e-0f4a-4c55-9d37-2e6f7b0a9c11",
            ["stepName"] = "Receipt Core Validation",
            ["error"] = ErrorNode(errors[0], new JsonArray([.. errors.Select(e => (JsonNode)ErrorNode(e, null))])),
        });

    private static JsonObject ErrorNode(SimulatedEtaError error, JsonArray? inner)
    {
        var node = new JsonObject
        {
            ["propertyPath"] = error.PropertyPath,
            ["errorCode"] = error.Code,
            ["error"] = error.Message,
            ["errorAr"] = error.Message,
        };
        if (inner is not null)
        {
            node["innerError"] = inner;
        }

        return node;
    }

    private static int? PositiveQuery(IRequestMessage request, string name) =>
        int.TryParse(Query(request, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
