using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Simulators.Eta;
using Integration.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Integration.Connectors.Eta.Tests.Simulator;

public sealed class EtaPortalSimulatorTests : IDisposable
{
    private const string Serial = "SHOPIFY-POS-01";
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The fixtures are issued 2024-05-01; the portal's clock is a day later so they are not in the future.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2024, 5, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly EtaPortalSimulator _portal;
    private readonly HttpClient _http = new();

    public EtaPortalSimulatorTests()
    {
        _portal = EtaPortalSimulator.Start(_clock);
        _portal.RegisterDevice(Serial, "client-1", "secret-1", "psk-1");
    }

    [Theory]
    [InlineData("receipt-chain-1-sale", "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747")]
    [InlineData("receipt-chain-2-sale", "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547")]
    public void The_simulators_own_serializer_reproduces_the_fixture_uuids(string name, string expected)
    {
        var json = Encoding.UTF8.GetString(RepoPaths.Fixture($"eta/{name}.json"));

        Assert.Equal(expected, EtaPortalSimulator.ComputeUuid(json));
        var stamped = Fixture(name);
        stamped["header"]!["uuid"] = expected;
        Assert.Equal(expected, EtaPortalSimulator.ComputeUuid(stamped.ToJsonString()));
    }

    [Theory]
    [InlineData("client-x", "secret-1", Serial, "psk-1", "linux", "1", "invalid_client")]
    [InlineData("client-1", "wrong", Serial, "psk-1", "linux", "1", "invalid_client")]
    [InlineData("client-1", "secret-1", "OTHER-POS", "psk-1", "linux", "1", "invalid_posserial")]
    [InlineData("client-1", "secret-1", Serial, "wrong", "linux", "1", "invalid_presharedkey")]
    [InlineData("client-1", "secret-1", Serial, "psk-1", "windows", "1", "invalid_pososversion")]
    [InlineData("client-1", "secret-1", Serial, "psk-1", "linux", "2", "invalid_posmodelframework")]
    public async Task A_token_request_with_a_wrong_credential_answers_400_with_its_error(
        string clientId, string secret, string serial, string psk, string os, string framework, string error)
    {
        using var response = await RequestToken(clientId, secret, serial, psk, os, framework);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await Json(response))["error"]!.GetValue<string>());
        Assert.Equal(0, _portal.TokensIssued);
    }

    [Fact]
    public async Task A_registered_device_gets_a_bearer_token_for_an_hour()
    {
        using var response = await RequestToken("client-1", "secret-1", Serial, "psk-1", "linux", "1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.False(string.IsNullOrEmpty(body["access_token"]!.GetValue<string>()));
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<int>());
        Assert.Equal("InvoicingAPI", body["scope"]!.GetValue<string>());
        Assert.Equal(1, _portal.TokensIssued);

        _clock.Advance(TimeSpan.FromSeconds(3601));
        using var expired = await Submit(body["access_token"]!.GetValue<string>(), Stamped(Fixture("receipt-chain-1-sale")));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task A_two_receipt_chain_is_accepted_then_valid_after_a_poll()
    {
        var token = await Token();
        var first = Stamped(Fixture("receipt-chain-1-sale"));
        var second = Stamped(Fixture("receipt-chain-2-sale"));

        using var response = await Submit(token, first, second);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Json(response);
        var id = answer["submissionId"]!.GetValue<string>();
        Assert.Equal(
            ["96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747", "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547"],
            answer["acceptedDocuments"]!.AsArray().Select(d => d!["uuid"]!.GetValue<string>()));
        Assert.Empty(answer["rejectedDocuments"]!.AsArray());
        Assert.All(_portal.Receipts, r => Assert.Equal("Submitted", r.Status));

        var poll1 = await Details(token, id);
        Assert.Equal("InProgress", poll1["status"]!.GetValue<string>());
        var poll2 = await Details(token, id);
        Assert.Equal("Valid", poll2["status"]!.GetValue<string>());
        Assert.Equal(2, poll2["receiptsCount"]!.GetValue<int>());
        Assert.All(poll2["receipts"]!.AsArray(), r => Assert.Equal("Valid", r!["status"]!.GetValue<string>()));
        Assert.All(_portal.Receipts, r => Assert.Equal("Valid", r.Status));
        Assert.Equal(first["header"]!["uuid"]!.GetValue<string>(), _portal.Receipts[1].PreviousUuid);

        using var details = await Get(token, $"/api/v1/receipts/{_portal.Receipts[1].Uuid}/details");
        var receipt = (await Json(details))["receipt"]!;
        Assert.Equal(id, receipt["submissionUuid"]!.GetValue<string>());
        Assert.Equal("Valid", receipt["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tampered_uuid_is_rejected_and_not_stored()
    {
        var receipt = Stamped(Fixture("receipt-chain-1-sale"));
        receipt["header"]!["receiptNumber"] = "SHOP-1001-EDITED";

        var answer = await Json(await Submit(await Token(), receipt));

        var rejected = Assert.Single(answer["rejectedDocuments"]!.AsArray())!;
        Assert.Equal("ValidationError", rejected["error"]!["code"]!.GetValue<string>());
        Assert.Equal("InvalidUuid", rejected["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("header.uuid", rejected["error"]!["details"]![0]!["propertyPath"]!.GetValue<string>());
        Assert.Empty(answer["acceptedDocuments"]!.AsArray());
        Assert.Empty(_portal.Receipts);
    }

    [Fact]
    public async Task A_receipt_whose_previous_uuid_is_not_the_devices_last_is_rejected()
    {
        var token = await Token();
        await Submit(token, Stamped(Fixture("receipt-chain-1-sale")));
        var broken = Fixture("receipt-chain-2-sale");
        broken["header"]!["previousUUID"] = new string('0', 64);

        var answer = await Json(await Submit(token, Stamped(broken)));

        var detail = Assert.Single(answer["rejectedDocuments"]!.AsArray())!["error"]!["details"]![0]!;
        Assert.Equal("InvalidPreviousUuid", detail["code"]!.GetValue<string>());
        Assert.Equal("header.previousUUID", detail["propertyPath"]!.GetValue<string>());
        Assert.Single(_portal.Receipts);
    }

    [Fact]
    public async Task An_identical_resubmission_within_ten_minutes_answers_422_with_retry_after()
    {
        var token = await Token();
        var receipt = Stamped(Fixture("receipt-chain-1-sale"));
        using var first = await Submit(token, receipt);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(4));

        using var again = await Submit(token, receipt);

        Assert.Equal((HttpStatusCode)422, again.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(6), again.Headers.RetryAfter!.Delta);
        Assert.Equal("DuplicateSubmission", (await Json(again))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(2, _portal.SubmissionRequests);
        Assert.Equal(1, _portal.AcceptedSubmissions);
        Assert.Empty(_portal.ReceiptUuidsSubmittedMoreThanOnce);
    }

    [Fact]
    public async Task Throttled_submissions_answer_429_with_retry_after_then_pass()
    {
        var token = await Token();
        _portal.ThrottleNext(2, TimeSpan.FromSeconds(30));
        var receipt = Stamped(Fixture("receipt-chain-1-sale"));

        for (var i = 0; i < 2; i++)
        {
            using var throttled = await Submit(token, receipt);
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), throttled.Headers.RetryAfter!.Delta);
            Assert.Equal("TooManyRequests", (await Json(throttled))["error"]!["code"]!.GetValue<string>());
        }

        using var passed = await Submit(token, receipt);
        Assert.Equal(HttpStatusCode.Accepted, passed.StatusCode);
        Assert.Equal(3, _portal.SubmissionRequests);
        Assert.Equal(1, _portal.AcceptedSubmissions);
    }

    [Fact]
    public async Task Submission_details_are_paged()
    {
        var token = await Token();
        var chain = new List<JsonObject>();
        var previous = "";
        for (var i = 1; i <= 5; i++)
        {
            var receipt = Fixture("receipt-chain-1-sale");
            receipt["header"]!["receiptNumber"] = $"SHOP-{1000 + i}";
            receipt["header"]!["previousUUID"] = previous;
            chain.Add(Stamped(receipt));
            previous = chain[^1]["header"]!["uuid"]!.GetValue<string>();
        }

        var id = (await Json(await Submit(token, [.. chain])))["submissionId"]!.GetValue<string>();

        var page3 = await Details(token, id, pageNo: 3, pageSize: 2);
        Assert.Equal(5, page3["receiptsCount"]!.GetValue<int>());
        Assert.Equal(3, page3["metadata"]!["totalPages"]!.GetValue<int>());
        Assert.Equal(5, page3["metadata"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("SHOP-1005", Assert.Single(page3["receipts"]!.AsArray())!["receiptNumber"]!.GetValue<string>());
        var page1 = await Details(token, id, pageNo: 1, pageSize: 2);
        Assert.Equal(["SHOP-1001", "SHOP-1002"], page1["receipts"]!.AsArray().Select(r => r!["receiptNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_T1_amount_makes_the_receipt_invalid_with_its_property_path()
    {
        _portal.DecisionAfterPolls = 0;
        var token = await Token();
        var receipt = Fixture("receipt-chain-1-sale");
        receipt["itemData"]![0]!["taxableItems"]![0]!["amount"] = JsonNode.Parse("64.00");

        var id = (await Json(await Submit(token, Stamped(receipt))))["submissionId"]!.GetValue<string>();
        var details = await Details(token, id);

        Assert.Equal("Invalid", details["status"]!.GetValue<string>());
        Assert.Equal(1, details["invalidReceiptsCount"]!.GetValue<int>());
        var error = details["receipts"]![0]!["errors"]![0]!["error"]!;
        Assert.Contains(error["innerError"]!.AsArray(), e => e!["propertyPath"]!.GetValue<string>() == "itemData[0].taxableItems[0].amount");
        var stored = Assert.Single(_portal.Receipts);
        Assert.Equal("Invalid", stored.Status);
        Assert.Contains(stored.Errors, e => e.PropertyPath == "itemData[0].taxableItems[0].amount" && e.Code == "CV303");
    }

    [Fact]
    public async Task Down_and_the_waf_page_apply_to_every_call()
    {
        _portal.Down = true;
        using (var down = await RequestToken("client-1", "secret-1", Serial, "psk-1", "linux", "1"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        }

        _portal.Down = false;
        var token = await Token();
        _portal.AnswerHtml = true;
        using var html = await Submit(token, Stamped(Fixture("receipt-chain-1-sale")));
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Request Rejected", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_portal.Receipts);
    }

    [Fact]
    public async Task A_receipt_sent_again_in_another_body_is_rejected_as_a_duplicate_and_reported()
    {
        var token = await Token();
        var receipt = Stamped(Fixture("receipt-chain-1-sale"));
        await Submit(token, receipt);

        var answer = await Json(await Submit(token, signature: "again", receipt));

        Assert.Equal("DuplicateReceipt", answer["rejectedDocuments"]![0]!["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Equal([receipt["header"]!["uuid"]!.GetValue<string>()], _portal.ReceiptUuidsSubmittedMoreThanOnce);
        Assert.Single(_portal.Receipts);
    }

    [Fact]
    public async Task Concurrent_first_receipts_of_one_device_cannot_fork_the_chain()
    {
        var token = await Token();
        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            var receipt = Fixture("receipt-chain-1-sale");
            receipt["header"]!["receiptNumber"] = $"SHOP-2{i:000}";
            using var response = await Submit(token, Stamped(receipt));
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Single(_portal.Receipts);
        Assert.Equal(8, _portal.AcceptedSubmissions);
    }

    [Fact]
    public async Task Submissions_over_the_per_minute_rate_answer_429_until_the_minute_has_passed()
    {
        _portal.MaxSubmissionsPerMinute = 1;
        _portal.SubmissionIdKey = "submissionUUID";
        var token = await Token();
        var first = Stamped(Fixture("receipt-chain-1-sale"));
        var second = Stamped(Fixture("receipt-chain-2-sale"));
        using var accepted = await Submit(token, first);
        Assert.NotNull((await Json(accepted))["submissionUUID"]);
        _clock.Advance(TimeSpan.FromSeconds(20));

        using var throttled = await Submit(token, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), throttled.Headers.RetryAfter!.Delta);

        _clock.Advance(TimeSpan.FromSeconds(40));
        using var later = await Submit(token, second);
        Assert.Equal(HttpStatusCode.Accepted, later.StatusCode);
    }

    [Fact]
    public async Task Receipts_of_another_device_answer_403_and_a_missing_token_401()
    {
        _portal.RegisterDevice("POS-02", "client-2", "secret-2", "psk-2");
        var token = await Token();
        var other = Fixture("receipt-chain-1-sale");
        other["seller"]!["deviceSerialNumber"] = "POS-02";

        using var forbidden = await Submit(token, Stamped(other));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("IncorrectSubmitter", (await Json(forbidden))["error"]!["code"]!.GetValue<string>());

        using var anonymous = await Submit("not-a-token", Stamped(Fixture("receipt-chain-1-sale")));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await Get(token, "/api/v1/receiptsubmissions/NOPE/details?PageNo=1&PageSize=10");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noReceipt = await Get(token, $"/api/v1/receipts/{new string('a', 64)}/details");
        Assert.Equal(HttpStatusCode.NotFound, noReceipt.StatusCode);
    }

    [Fact]
    public async Task A_return_must_reference_an_accepted_sale_and_a_correction_an_invalid_receipt()
    {
        _portal.DecisionAfterPolls = 0;
        _portal.Rules = r => r.GetProperty("header").GetProperty("receiptNumber").GetString() == "BAD-1"
            ? [new SimulatedEtaError("header.receiptNumber", "XX001", "Rejected by the test's rule")]
            : [];
        var token = await Token();
        var sale = Stamped(Fixture("receipt-chain-1-sale"));
        var saleUuid = sale["header"]!["uuid"]!.GetValue<string>();
        await Submit(token, sale);

        var orphan = Return(saleUuid, new string('f', 64));
        var returned = Return(saleUuid, saleUuid);
        var answer = await Json(await Submit(token, orphan, returned));
        Assert.Equal("InvalidReferenceUuid", answer["rejectedDocuments"]![0]!["error"]!["details"]![0]!["code"]!.GetValue<string>());
        var returnUuid = Assert.Single(answer["acceptedDocuments"]!.AsArray())!["uuid"]!.GetValue<string>();

        var bad = Next(returnUuid, "BAD-1", referenceOld: "");
        await Submit(token, bad);
        Assert.Equal("Invalid", _portal.Receipt(bad["header"]!["uuid"]!.GetValue<string>())!.Status);

        // The sale is Valid: nothing to correct. The real correction takes the Invalid receipt's place in the chain.
        var wrongCorrection = Next(bad["header"]!["uuid"]!.GetValue<string>(), "GOOD-1", referenceOld: saleUuid);
        var correction = Next(returnUuid, "GOOD-2", referenceOld: bad["header"]!["uuid"]!.GetValue<string>());
        var corrected = await Json(await Submit(token, wrongCorrection, correction));
        Assert.Equal("InvalidReferenceOldUuid", corrected["rejectedDocuments"]![0]!["error"]!["details"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("GOOD-2", Assert.Single(corrected["acceptedDocuments"]!.AsArray())!["receiptNumber"]!.GetValue<string>());
        Assert.Equal("Valid", _portal.Receipt(correction["header"]!["uuid"]!.GetValue<string>())!.Status);

        JsonObject Return(string previous, string reference)
        {
            var receipt = Fixture("receipt-chain-1-sale");
            receipt["documentType"]!["receiptType"] = "r";
            receipt["header"]!["receiptNumber"] = "RET-" + reference[..4];
            receipt["header"]!["previousUUID"] = previous;
            receipt["header"]!.AsObject().Insert(3, "referenceUUID", reference);
            return Stamped(receipt);
        }

        static JsonObject Next(string previous, string number, string referenceOld)
        {
            var receipt = Fixture("receipt-chain-1-sale");
            receipt["header"]!["receiptNumber"] = number;
            receipt["header"]!["previousUUID"] = previous;
            receipt["header"]!["referenceOldUUID"] = referenceOld;
            return Stamped(receipt);
        }
    }

    [Fact]
    public async Task A_malformed_or_oversized_submission_answers_400()
    {
        var token = await Token();

        using var notJson = await SubmitRaw(token, "<receipts/>");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("BadStructure", (await Json(notJson))["error"]!["code"]!.GetValue<string>());

        using var empty = await SubmitRaw(token, """{"receipts":[]}""");
        Assert.Equal("BadStructure", (await Json(empty))["error"]!["code"]!.GetValue<string>());

        var receipt = Stamped(Fixture("receipt-chain-1-sale"));
        using var tooMany = await Submit(token, [.. Enumerable.Repeat(receipt, 501)]);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("MaximumSizeExceeded", (await Json(tooMany))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(0, _portal.AcceptedSubmissions);
    }

    private static JsonObject Fixture(string name) => JsonNode.Parse(RepoPaths.Fixture($"eta/{name}.json"))!.AsObject();

    /// <summary>Writes the receipt's uuid (computed with header.uuid blank) into its header.</summary>
    private static JsonObject Stamped(JsonObject receipt)
    {
        receipt["header"]!["uuid"] = "";
        receipt["header"]!["uuid"] = EtaPortalSimulator.ComputeUuid(receipt.ToJsonString(Relaxed));
        return receipt;
    }

    private async Task<HttpResponseMessage> RequestToken(string clientId, string secret, string serial, string psk, string os, string framework)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_portal.Url}/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = secret,
            }),
        };
        request.Headers.Add("posserial", serial);
        request.Headers.Add("pososversion", os);
        request.Headers.Add("posmodelframework", framework);
        request.Headers.Add("presharedkey", psk);
        return await _http.SendAsync(request);
    }

    private async Task<string> Token()
    {
        using var response = await RequestToken("client-1", "secret-1", Serial, "psk-1", "linux", "1");
        return (await Json(response))["access_token"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> Submit(string token, params JsonObject[] receipts) => Submit(token, null, receipts);

    private async Task<HttpResponseMessage> Submit(string token, string? signature, params JsonObject[] receipts)
    {
        var body = new JsonObject { ["receipts"] = new JsonArray([.. receipts.Select(r => (JsonNode)r.DeepClone())]) };
        if (signature is not null)
        {
            body["signatures"] = new JsonArray(new JsonObject { ["signatureType"] = "I", ["value"] = signature });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_portal.Url}/api/v1/receiptsubmissions")
        {
            Content = new StringContent(body.ToJsonString(Relaxed), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SubmitRaw(string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_portal.Url}/api/v1/receiptsubmissions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Get(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_portal.Url}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    private async Task<JsonNode> Details(string token, string id, int pageNo = 1, int pageSize = 100)
    {
        using var response = await Get(token, $"/api/v1/receiptsubmissions/{id}/details?PageNo={pageNo}&PageSize={pageSize}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public void Dispose()
    {
        _http.Dispose();
        _portal.Dispose();
    }
}
