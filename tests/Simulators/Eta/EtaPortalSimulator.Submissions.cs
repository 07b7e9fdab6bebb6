using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;

namespace Integration.Simulators.Eta;

public sealed partial class EtaPortalSimulator
{
    private const int MaxBodyBytes = 1_572_864;
    private const int MaxReceipts = 500;

    private const int MaxLinesPerReceipt = 300;
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _recentSubmissions = new(StringComparer.Ordinal);

    // POST /api/v1/receiptsubmissions. Counts says whether the POST's uuids count as "submitted" (not 422/429).
    private (ResponseMessage Answer, bool Counts) Submit(IRequestMessage request)
    {
        var serial = Authorize(request);
        if (serial is null)
        {
            return (Reply(HttpStatusCode.Unauthorized, null), true);
        }

        var now = _clock.GetUtcNow();
        if (_forcedThrottles > 0)
        {
            _forcedThrottles--;
            return (Reply(HttpStatusCode.TooManyRequests, Error("TooManyRequests", "Too many requests, retry later."), _forcedRetryAfter), false);
        }

        if (!_recentSubmissions.TryGetValue(serial, out var recent))
        {
            _recentSubmissions[serial] = recent = new Queue<DateTimeOffset>();
        }

        while (recent.Count > 0 && recent.Peek() <= now - RateWindow)
        {
            recent.Dequeue();
        }

        if (recent.Count >= _maxSubmissionsPerMinute)
        {
            return (Reply(HttpStatusCode.TooManyRequests, Error("TooManyRequests", $"More than {_maxSubmissionsPerMinute} submissions per minute from this device."),
                recent.Peek() + RateWindow - now), false);
        }

        recent.Enqueue(now);

        var body = BodyBytes(request);
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var earlier = _submissions.Values.Where(s => s.BodyHash == hash && s.Received > now - DuplicateWindow).MaxBy(s => s.Received);
        if (earlier is not null)
        {
            return (Reply((HttpStatusCode)422, Error("DuplicateSubmission", "An identical submission was received in the last 10 minutes."),
                earlier.Received + DuplicateWindow - now), false);
        }

        if (body.Length > MaxBodyBytes)
        {
            return (Reply(HttpStatusCode.BadRequest, Error("MaximumSizeExceeded", $"The submission is {body.Length} bytes; at most {MaxBodyBytes} are accepted.")), true);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (Reply(HttpStatusCode.BadRequest, Error("BadStructure", "The submission is not valid JSON.")), true);
        }

        using (document)
        {
            return (Accept(document.RootElement, serial, hash, now), true);
        }
    }

    private ResponseMessage Accept(JsonElement root, string serial, string hash, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("receipts", out var receiptsElement)
            || receiptsElement.ValueKind != JsonValueKind.Array || receiptsElement.GetArrayLength() == 0
            || receiptsElement.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Object))
        {
            return Reply(HttpStatusCode.BadRequest, Error("BadStructure", "A submission needs a non-empty receipts array of objects."));
        }

        var receipts = receiptsElement.EnumerateArray().ToList();
        if (receipts.Count > MaxReceipts)
        {
            return Reply(HttpStatusCode.BadRequest, Error("MaximumSizeExceeded", $"The submission has {receipts.Count} receipts; at most {MaxReceipts} are accepted."));
        }

        var devices = receipts.Select(r => Text(Child(r, "seller"), "deviceSerialNumber")).Distinct(StringComparer.Ordinal).ToList();
        if (devices.Count != 1 || devices[0] != serial)
        {
            return Reply(HttpStatusCode.Forbidden, Error("IncorrectSubmitter",
                $"All receipts must come from the token's device '{serial}'; found {string.Join(", ", devices.Select(d => $"'{d}'"))}."));
        }

        var submission = new EtaSubmissionState { Id = NewId(26), DeviceSerial = serial, Received = now, BodyHash = hash };
        var accepted = new JsonArray();
        var rejected = new JsonArray();
        foreach (var receipt in receipts)
        {
            var header = Child(receipt, "header");
            var uuid = Text(header, "uuid");
            var number = Text(header, "receiptNumber");
            var raw = receipt.GetRawText();
            var problem = _refuseOnArrival?.Invoke(receipt) ?? SynchronousProblem(receipt, raw, serial);
            if (problem is not null)
            {
                rejected.Add(Rejection(uuid, number, problem));
                continue;
            }

            var state = new EtaReceiptState
            {
                Uuid = uuid,
                DeviceSerial = serial,
                ReceiptNumber = number,
                ReceiptType = Text(Child(receipt, "documentType"), "receiptType"),
                PreviousUuid = Text(header, "previousUUID"),
                ReferenceUuid = OptionalText(header, "referenceUUID"),
                ReferenceOldUuid = OptionalText(header, "referenceOldUUID"),
                SubmissionId = submission.Id,
                LongId = NewId(40),
                DateTimeIssued = Text(header, "dateTimeIssued"),
                TotalAmount = Child(receipt, "totalAmount") is { ValueKind: JsonValueKind.Number } total && total.TryGetDecimal(out var t) ? t : 0m,
                Body = raw,
                Element = receipt.Clone(),
            };
            submission.Receipts.Add(state);
            _receipts.Add(state);
            _receiptsByUuid[uuid] = state;
            accepted.Add(new JsonObject { ["uuid"] = uuid, ["longId"] = state.LongId, ["receiptNumber"] = number });
        }

        _submissions[submission.Id] = submission;
        _acceptedSubmissions++;
        if (_decisionAfterPolls <= 0)
        {
            Decide(submission);
        }

        return Reply(HttpStatusCode.Accepted, new JsonObject
        {
            [_submissionIdKey] = submission.Id,
            ["acceptedDocuments"] = accepted,
            ["rejectedDocuments"] = rejected,
        });
    }

    /// <summary>Why the portal refuses a receipt on arrival (uuid, duplicate, chain, references), or null.</summary>
    private SimulatedEtaError? SynchronousProblem(JsonElement receipt, string raw, string serial)
    {
        var header = Child(receipt, "header");
        var uuid = Text(header, "uuid");
        var computed = EtaUuidCalculator.ComputeUuid(raw);
        if (uuid != computed)
        {
            return new("header.uuid", "InvalidUuid", $"The uuid '{uuid}' does not match the receipt's content (expected '{computed}').");
        }

        if (_receiptsByUuid.ContainsKey(uuid))
        {
            return new("header.uuid", "DuplicateReceipt", $"A receipt with uuid '{uuid}' was already accepted.");
        }

        if (Child(receipt, "itemData") is { ValueKind: JsonValueKind.Array } items && items.GetArrayLength() > MaxLinesPerReceipt)
        {
            return new("itemData", "MaximumItemsExceeded", $"The receipt has {items.GetArrayLength()} items; at most {MaxLinesPerReceipt} are accepted.");
        }

        var previous = Text(header, "previousUUID");
        var referenceOld = OptionalText(header, "referenceOldUUID");
        var chain = _receipts.Where(r => r.DeviceSerial == serial).ToList();
        // A correction (referenceOldUUID of an Invalid receipt) takes that receipt's place, so it may share its previousUUID.
        var forkedWith = chain.FirstOrDefault(r => r.PreviousUuid == previous
            && !(r.Status == "Invalid" && (r.Uuid == referenceOld || chain.Any(o => o.ReferenceOldUuid == r.Uuid))));
        var linked = previous.Length == 0 ? chain.Count == 0 || chain.Any(r => r.PreviousUuid.Length == 0) : chain.Any(r => r.Uuid == previous);
        if (!linked)
        {
            return new("header.previousUUID", "InvalidPreviousUuid", chain.Count == 0
                ? "The device's first receipt must have an empty previousUUID."
                : $"previousUUID '{previous}' is not a receipt this device submitted.");
        }

        if (forkedWith is not null)
        {
            return new("header.previousUUID", "InvalidPreviousUuid",
                $"previousUUID '{previous}' is already the previousUUID of receipt '{forkedWith.Uuid}' (the chain would fork).");
        }

        if (Text(Child(receipt, "documentType"), "receiptType").Equals("r", StringComparison.OrdinalIgnoreCase))
        {
            var reference = Text(header, "referenceUUID");
            if (!_receiptsByUuid.ContainsKey(reference))
            {
                return new("header.referenceUUID", "InvalidReferenceUuid", $"referenceUUID '{reference}' is not an accepted receipt.");
            }
        }

        if (referenceOld is { Length: > 0 } && (!_receiptsByUuid.TryGetValue(referenceOld, out var old) || old.Status != "Invalid"))
        {
            return new("header.referenceOldUUID", "InvalidReferenceOldUuid", $"referenceOldUUID '{referenceOld}' is not an accepted receipt that is Invalid.");
        }

        return null;
    }

    private static JsonObject Rejection(string uuid, string receiptNumber, SimulatedEtaError problem) => new()
    {
        ["uuid"] = uuid,
        ["receiptNumber"] = receiptNumber,
        ["error"] = new JsonObject
        {
            ["code"] = "ValidationError",
            ["message"] = "Validation Error",
            ["target"] = receiptNumber,
            ["propertyPath"] = problem.PropertyPath,
            ["details"] = new JsonArray(new JsonObject
            {
                ["code"] = problem.Code,
                ["message"] = problem.Message,
                ["target"] = receiptNumber,
                ["propertyPath"] = problem.PropertyPath,
            }),
        },
    };

    /// <summary>Runs the built-in rules and <see cref="Rules"/> on every receipt of the submission.</summary>
    private void Decide(EtaSubmissionState submission)
    {
        if (submission.Decided)
        {
            return;
        }

        submission.Decided = true;
        foreach (var receipt in submission.Receipts)
        {
            var errors = EtaReceiptRules.Check(receipt.Element, submission.Received);
            if (_rules is not null)
            {
                errors.AddRange(_rules(receipt.Element));
            }

            receipt.Errors = errors;
            receipt.Status = errors.Count == 0 ? "Valid" : "Invalid";
        }
    }

    // Best effort on any body: the header.uuid of each receipt, once per POST.
    private void CountPostedUuids(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("receipts", out var receipts)
                || receipts.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var uuid in receipts.EnumerateArray().Select(r => Text(Child(r, "header"), "uuid")).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal))
            {
                _postsPerUuid[uuid] = _postsPerUuid.GetValueOrDefault(uuid) + 1;
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing to count.
        }
    }

    private static string NewId(int length)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        return string.Create(length, alphabet, (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }

    private static JsonElement Child(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) ? child : default;

    private static string Text(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : "";

    // Absent or null stays null; a present string is kept as sent ("" included).
    private static string? OptionalText(JsonElement parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
}
