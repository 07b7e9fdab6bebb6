using System.Diagnostics;
using System.Text;
using Integration.Connectors.Eta.Portal;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Integration.Connectors.Eta.Tests.Portal.EtaPortalServer;

namespace Integration.Connectors.Eta.Tests.Portal;

/// <summary>Submissions: the body as frozen text, the answer read tolerantly, and retries only where nothing was taken.</summary>
public sealed class EtaPortalSubmitTests : IDisposable
{
    // Arabic unescaped, 250.00 with its zeros and odd spacing: a serializer would change all three.
    private const string Receipt1 = """{"header":{"uuid":"aaa1","receiptNumber":"R-1"},"seller":{"companyTradeName":"مكتبة القاهرة"},"totalAmount":250.00}""";
    private const string Receipt2 = "{ \"header\": {\"uuid\":\"aaa2\" , \"receiptNumber\":\"R-2\"},\n  \"totalAmount\": 1.50000 }";

    private const string Accepted = """
        {"submissionId":"SUB-1",
         "acceptedDocuments":[{"uuid":"aaa1","longId":"L-1","receiptNumber":"R-1","hashKey":"x"}],
         "rejectedDocuments":[{"uuid":"aaa2","receiptNumber":"R-2","error":{"code":"ValidationError","message":"Validation Error","target":"R-2",
            "details":[{"code":"DateTimeIssued","message":"Issuance date time value is out of the range","target":"dateTimeIssued","propertyPath":"header.dateTimeIssued"},
                       {"code":"Total","message":"Total amount is wrong","target":"totalAmount"}]}}]}
        """;

    private readonly EtaPortalServer _portal = new();

    public EtaPortalSubmitTests() => _portal.Tokens("t1");

    [Fact]
    public async Task The_body_holds_the_receipt_texts_byte_for_byte()
    {
        Stub(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody(Accepted));

        await _portal.Client().SubmitAsync(Device, [Receipt1, Receipt2], CancellationToken.None);

        var request = Assert.Single(_portal.Requests(SubmitPath));
        var expected = "{\"receipts\":[" + Receipt1 + "," + Receipt2 + "],\"signatures\":[{\"signatureType\":\"I\",\"value\":\"\"}]}";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), Body(request));
        Assert.StartsWith("application/json", Header(request, "Content-Type"), StringComparison.Ordinal);
        Assert.Equal("Bearer t1", Header(request, "Authorization"));
        Assert.Contains("مكتبة القاهرة", Encoding.UTF8.GetString(Body(request)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submissionId")]
    [InlineData("submissionUUID")]
    [InlineData("SubmissionUuid")]
    public async Task Accepted_and_rejected_receipts_are_read_whatever_the_id_is_called(string idKey)
    {
        Stub(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody(Accepted.Replace("submissionId", idKey, StringComparison.Ordinal)));

        var result = await _portal.Client().SubmitAsync(Device, [Receipt1, Receipt2], CancellationToken.None);

        Assert.Equal("SUB-1", result.SubmissionId);
        Assert.Equal(new EtaAcceptedReceipt("aaa1", "L-1", "R-1"), Assert.Single(result.Accepted));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(("aaa2", "R-2"), (rejected.Uuid, rejected.ReceiptNumber));
        Assert.Equal(
            [new EtaError("header.dateTimeIssued", "DateTimeIssued", "Issuance date time value is out of the range"), new EtaError("totalAmount", "Total", "Total amount is wrong")],
            rejected.Errors);
    }

    [Fact]
    public async Task A_rejection_without_details_keeps_its_top_error()
    {
        Stub(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
            {"submissionUUID":"SUB-2","acceptedDocuments":[],
             "rejectedDocuments":[{"uuid":"aaa1","receiptNumber":"R-1","error":{"code":"DuplicateReceipt","message":"Receipt already submitted","propertyPath":"header.uuid","details":[]}}]}
            """));

        var result = await _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None);

        Assert.Empty(result.Accepted);
        Assert.Equal(new EtaError("header.uuid", "DuplicateReceipt", "Receipt already submitted"), Assert.Single(Assert.Single(result.Rejected).Errors));
        Assert.True(Assert.Single(result.Rejected).AlreadyHeld);
    }

    [Fact]
    public async Task A_duplicate_said_above_its_details_is_still_a_receipt_the_portal_holds()
    {
        Stub(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
            {"submissionUUID":"SUB-3","acceptedDocuments":[],
             "rejectedDocuments":[{"uuid":"aaa1","receiptNumber":"R-1","error":{"code":"DuplicateReceipt","message":"Receipt already submitted",
                "details":[{"code":"Uuid","message":"A receipt with this uuid exists","target":"uuid","propertyPath":"header.uuid"}]}}]}
            """));

        var rejected = Assert.Single((await _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None)).Rejected);

        Assert.True(rejected.AlreadyHeld);
        Assert.Equal(new EtaError("header.uuid", "Uuid", "A receipt with this uuid exists"), Assert.Single(rejected.Errors));
    }

    [Fact]
    public async Task A_refusal_given_as_plain_text_is_read_as_its_message()
    {
        Stub(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
            {"submissionUUID":"SUB-4","acceptedDocuments":[],"rejectedDocuments":[{"uuid":"aaa1","receiptNumber":"R-1","error":"Receipt is invalid"}]}
            """));

        var rejected = Assert.Single((await _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None)).Rejected);

        Assert.False(rejected.AlreadyHeld);
        Assert.Equal("Receipt is invalid", Assert.Single(rejected.Errors).Message);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        _portal.Server.Given(Request.Create().WithPath(SubmitPath).UsingPost()).InScenario("429").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _portal.Server.Given(Request.Create().WithPath(SubmitPath).UsingPost()).InScenario("429").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody(Accepted));
        var watch = Stopwatch.StartNew();

        var result = await _portal.Client().SubmitAsync(Device, [Receipt1, Receipt2], CancellationToken.None);

        Assert.Equal("SUB-1", result.SubmissionId);
        var requests = _portal.Requests(SubmitPath);
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].RequestMessage.DateTime - requests[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(950), "Retry-After was not honoured");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Endless_429s_end_in_a_transient_error_with_the_last_Retry_After()
    {
        Stub(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0.1").WithBody("""{"error":{"code":"TooManyRequests","message":"slow down"}}"""));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(0.1), error.RetryAfter);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(3, _portal.Requests(SubmitPath).Count);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_longest_wait_ends_the_call_at_once()
    {
        Stub(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "120"));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_duplicate_submission_is_not_retried()
    {
        Stub(Response.Create().WithStatusCode(422).WithHeader("Retry-After", "600").WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":{"code":"DuplicateSubmission","message":"The same submission was received within the last 10 minutes"}}"""));

        var error = await Assert.ThrowsAsync<EtaDuplicateSubmissionException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal("DuplicateSubmission", error.Code);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_WAF_page_with_200_is_retried_then_reported_as_transient()
    {
        Stub(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html")
            .WithBody("<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Your support ID is: 1234</body></html>"));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Contains("Request Rejected", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _portal.Requests(SubmitPath).Count);
    }

    [Fact]
    public async Task A_bad_structure_is_permanent_with_its_code()
    {
        Stub(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":{"code":"BadStructure","message":"Invalid submission structure","details":[]}}"""));

        var error = await Assert.ThrowsAsync<EtaPortalException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.IsNotType<EtaTransientException>(error);
        Assert.Equal("BadStructure", error.Code);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_wrong_submitter_is_permanent_with_its_code()
    {
        Stub(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
            .WithBody("""{"error":{"code":"IncorrectSubmitter","message":"The submitter is not allowed to submit for this issuer"}}"""));

        var error = await Assert.ThrowsAsync<EtaPortalException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(("IncorrectSubmitter", 403), (error.Code, error.StatusCode));
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_is_refused_before_sending()
    {
        var error = await Assert.ThrowsAsync<EtaPortalException>(
            () => _portal.Client().SubmitAsync(Device, Enumerable.Repeat(Receipt1, 501).ToArray(), CancellationToken.None));

        Assert.Equal("MaximumSizeExceeded", error.Code);
        Assert.Empty(_portal.Server.LogEntries);
    }

    [Fact]
    public async Task A_Retry_After_date_beyond_the_longest_wait_is_handed_to_the_caller()
    {
        _portal.Server.Given(Request.Create().WithPath(SubmitPath).UsingPost()).InScenario("date").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", DateTimeOffset.UtcNow.AddHours(1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        _portal.Server.Given(Request.Create().WithPath(SubmitPath).UsingPost()).InScenario("date").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(202).WithBody(Accepted));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(60));
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)] // a gateway's: the API behind it may have stored the batch before its answer went wrong
    [InlineData(504)] // the gateway stopped waiting, the API may still have stored it
    public async Task A_500_or_a_gateway_error_is_not_resent_because_the_portal_may_have_taken_it(int status)
    {
        Stub(Response.Create().WithStatusCode(status).WithBody("oops"));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.False(error.NotTaken);
        Assert.Contains("check the receipts", error.Message, StringComparison.Ordinal);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task An_empty_success_is_not_resent()
    {
        Stub(Response.Create().WithStatusCode(202));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Contains("check the receipts", error.Message, StringComparison.Ordinal);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_503_is_resent()
    {
        Stub(Response.Create().WithStatusCode(503));

        await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client().SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(3, _portal.Requests(SubmitPath).Count);
    }

    [Fact]
    public async Task One_attempt_configured_sends_once_and_reports_the_503()
    {
        Stub(Response.Create().WithStatusCode(503));

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client(resilience: EtaPortalServer.FastRetries(maxAttempts: 1)).SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Single(_portal.Requests(SubmitPath));
    }

    [Fact]
    public async Task A_timed_out_submission_is_not_resent()
    {
        Stub(Response.Create().WithDelay(500).WithStatusCode(202).WithBody(Accepted));
        var resilience = EtaPortalServer.FastRetries();
        resilience.AttemptTimeout = TimeSpan.FromMilliseconds(100);

        var error = await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client(resilience: resilience).SubmitAsync(Device, [Receipt1], CancellationToken.None));

        Assert.Contains("check the receipts", error.Message, StringComparison.Ordinal);
        Assert.Single(await _portal.SettledRequestsAsync(SubmitPath, TimeSpan.FromMilliseconds(500)));
    }

    private void Stub(IResponseBuilder response) =>
        _portal.Server.Given(Request.Create().WithPath(SubmitPath).UsingPost()).RespondWith(response);

    public void Dispose() => _portal.Dispose();
}
