using Integration.Connectors.Eta.Portal;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Integration.Connectors.Eta.Tests.Portal.EtaPortalServer;

namespace Integration.Connectors.Eta.Tests.Portal;

/// <summary>Submission details (every page, merged) and single receipts.</summary>
public sealed class EtaPortalDetailsTests : IDisposable
{
    private const string DetailsPath = "/api/v1/receiptsubmissions/SUB-1/details";
    private readonly EtaPortalServer _portal = new();

    public EtaPortalDetailsTests() => _portal.Tokens("t1");

    [Fact]
    public async Task Every_page_of_a_submission_is_read_and_merged()
    {
        Page(1, """
            {"submissionUuid":"SUB-1","status":"InProgress","receipts":[
              {"uuid":"aaa1","receiptNumber":"R-1","status":"Valid","longId":"L-1","errors":[]}],
             "metadata":{"totalPages":2,"totalCount":2}}
            """);
        Page(2, """
            {"submissionUuid":"SUB-1","status":"Invalid","receipts":[
              {"uuid":"aaa2","receiptNumber":"R-2","status":"Invalid","longId":null,"errors":[
                {"stepId":"s1","stepName":"Receipt Core Fields Validator","error":{"propertyPath":"itemData[0]","errorCode":"CV300","error":"Item is invalid","errorAr":"...",
                  "innerError":[{"propertyPath":"itemData[0].taxableItems[0].subType","errorCode":"CV307","error":"ItemCode [W001] doesn't belong to ParentCode [T3]"},
                                {"propertyPath":"itemData[0].unitType","errorCode":"CV308","error":"Unit type is not valid"}]}},
                {"stepId":"s2","stepName":"Receipt Total Validator","error":{"propertyPath":"totalAmount","errorCode":"CV400","error":"Total amount is wrong","innerError":[]}}]}],
             "metadata":{"totalPages":2,"totalCount":2}}
            """);

        var submission = await _portal.Client().GetSubmissionAsync(Device, "SUB-1", CancellationToken.None);

        Assert.Equal("SUB-1", submission.SubmissionId);
        Assert.Equal("Invalid", submission.Status);
        Assert.Equal(["aaa1", "aaa2"], submission.Receipts.Select(r => r.Uuid));
        Assert.Equal(new EtaReceiptStatus("aaa1", "R-1", "Valid", "L-1", "SUB-1", []), submission.Receipts[0] with { Errors = [] });
        Assert.Empty(submission.Receipts[0].Errors);
        Assert.Equal(
            [
                new EtaError("itemData[0].taxableItems[0].subType", "CV307", "ItemCode [W001] doesn't belong to ParentCode [T3]"),
                new EtaError("itemData[0].unitType", "CV308", "Unit type is not valid"),
                new EtaError("totalAmount", "CV400", "Total amount is wrong"),
            ],
            submission.Receipts[1].Errors);
        Assert.All(_portal.Requests(DetailsPath), r => Assert.Equal("100", r.RequestMessage.Query!["PageSize"].ToString()));
        Assert.Equal(2, _portal.Requests(DetailsPath).Count);
    }

    [Fact]
    public async Task Without_metadata_the_pages_are_read_until_one_is_not_full()
    {
        static string Receipts(int from, int count) => string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"uuid":"u{{i}}","receiptNumber":"R-{{i}}","status":"Valid","longId":"L-{{i}}","errors":[]}"""));
        Page(1, $$"""{"submissionUuid":"SUB-1","status":"Valid","receipts":[{{Receipts(1, 100)}}]}""");
        Page(2, $$"""{"submissionUuid":"SUB-1","status":"Valid","receipts":[{{Receipts(101, 50)}}]}""");

        var submission = await _portal.Client().GetSubmissionAsync(Device, "SUB-1", CancellationToken.None);

        Assert.Equal(150, submission.Receipts.Count);
        Assert.Equal("u150", submission.Receipts[^1].Uuid);
        Assert.Equal(2, _portal.Requests(DetailsPath).Count);
    }

    [Fact]
    public async Task A_receipt_is_read_from_its_details()
    {
        _portal.Server.Given(Request.Create().WithPath("/api/v1/receipts/aaa1/details").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"receipt":{"uuid":"aaa1","submissionUuid":"SUB-1","receiptNumber":"R-1","status":"Valid","longId":"L-1","errors":[]}}"""));

        var receipt = await _portal.Client().FindReceiptAsync(Device, "aaa1", CancellationToken.None);

        Assert.Equal(new EtaReceiptStatus("aaa1", "R-1", "Valid", "L-1", "SUB-1", []), receipt! with { Errors = [] });
        Assert.Empty(receipt.Errors);
    }

    [Fact]
    public async Task An_unknown_receipt_is_null()
    {
        _portal.Server.Given(Request.Create().WithPath("/api/v1/receipts/nope/details").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));

        Assert.Null(await _portal.Client().FindReceiptAsync(Device, "nope", CancellationToken.None));
        Assert.Single(_portal.Requests("/api/v1/receipts/nope/details"));
    }

    [Fact]
    public async Task A_read_that_times_out_is_retried()
    {
        _portal.Server.Given(Request.Create().WithPath(DetailsPath).UsingGet()).RespondWith(Response.Create().WithDelay(500).WithBody("{}"));
        var resilience = EtaPortalServer.FastRetries();
        resilience.AttemptTimeout = TimeSpan.FromMilliseconds(100);

        await Assert.ThrowsAsync<EtaTransientException>(() => _portal.Client(resilience: resilience).GetSubmissionAsync(Device, "SUB-1", CancellationToken.None));

        // WireMock logs an abandoned request only when its delayed answer is done: on a loaded machine that takes a while.
        Assert.Equal(3, (await _portal.SettledRequestsAsync(DetailsPath, TimeSpan.FromSeconds(3))).Count);
    }

    private void Page(int number, string body) =>
        _portal.Server.Given(Request.Create().WithPath(DetailsPath).UsingGet().WithParam("PageNo", number.ToString(System.Globalization.CultureInfo.InvariantCulture)).WithParam("PageSize", "100"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(body));

    public void Dispose() => _portal.Dispose();
}
