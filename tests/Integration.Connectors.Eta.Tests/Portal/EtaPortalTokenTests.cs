using System.Net;
using Integration.Connectors.Eta.Portal;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Integration.Connectors.Eta.Tests.Portal.EtaPortalServer;

namespace Integration.Connectors.Eta.Tests.Portal;

/// <summary>Tokens: one per device, fetched once, reused until expiry less the margin, renewed on a 401.</summary>
public sealed class EtaPortalTokenTests : IDisposable
{
    private const string Uuid = "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747";
    private const string ReceiptPath = $"/api/v1/receipts/{Uuid}/details";
    private readonly EtaPortalServer _portal = new();

    public EtaPortalTokenTests() =>
        _portal.Server.Given(Request.Create().WithPath(ReceiptPath).UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody($$$"""{"receipt":{"uuid":"{{{Uuid}}}","status":"Valid"}}"""));

    [Fact]
    public async Task Twenty_concurrent_calls_share_one_token_fetch()
    {
        _portal.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithDelay(200).WithHeader("Content-Type", "application/json").WithBody("""{"access_token":"t1","token_type":"Bearer","expires_in":3600}"""));
        var client = _portal.Client();

        var receipts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.FindReceiptAsync(Device, Uuid, CancellationToken.None)));

        Assert.All(receipts, r => Assert.Equal("Valid", r!.Status));
        Assert.Single(_portal.Requests(TokenPath));
        var calls = _portal.Requests(ReceiptPath);
        Assert.Equal(20, calls.Count);
        Assert.All(calls, c => Assert.Equal("Bearer t1", Header(c, "Authorization")));
    }

    [Fact]
    public async Task The_token_is_fetched_again_only_after_its_lifetime_less_the_margin()
    {
        _portal.Tokens("t1", "t2");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
        var client = _portal.Client(time);

        await client.FindReceiptAsync(Device, Uuid, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3600 - 60 - 1));
        await client.FindReceiptAsync(Device, Uuid, CancellationToken.None);
        Assert.Single(_portal.Requests(TokenPath));

        time.Advance(TimeSpan.FromSeconds(2));
        await client.FindReceiptAsync(Device, Uuid, CancellationToken.None);

        Assert.Equal(2, _portal.Requests(TokenPath).Count);
        Assert.Equal(["Bearer t1", "Bearer t1", "Bearer t2"], _portal.Requests(ReceiptPath).Select(c => Header(c, "Authorization")));
    }

    [Fact]
    public async Task The_token_request_carries_the_POS_headers_and_the_client_credentials_form()
    {
        _portal.Tokens("t1");

        await _portal.Client().FindReceiptAsync(Device, Uuid, CancellationToken.None);

        var request = Assert.Single(_portal.Requests(TokenPath));
        Assert.Equal("POS-1", Header(request, "posserial"));
        Assert.Equal("linux", Header(request, "pososversion"));
        Assert.Equal("1", Header(request, "posmodelframework"));
        Assert.Equal("psk-1", Header(request, "presharedkey"));
        Assert.StartsWith("application/x-www-form-urlencoded", Header(request, "Content-Type"), StringComparison.Ordinal);
        Assert.Equal("grant_type=client_credentials&client_id=client-1&client_secret=secret-1", request.RequestMessage.Body);
    }

    [Fact]
    public async Task A_refused_token_is_permanent_and_names_the_device_and_the_error()
    {
        _portal.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json").WithBody("""{"error":"invalid_client"}"""));

        var error = await Assert.ThrowsAsync<EtaPortalException>(() => _portal.Client().FindReceiptAsync(Device, Uuid, CancellationToken.None));

        Assert.IsNotType<EtaTransientException>(error);
        Assert.Equal("invalid_client", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("POS-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-1", error.Message, StringComparison.Ordinal);
        Assert.Single(_portal.Requests(TokenPath));
        Assert.Empty(_portal.Requests(ReceiptPath));
    }

    [Fact]
    public async Task An_unknown_device_is_refused_by_name()
    {
        var error = await Assert.ThrowsAsync<EtaPortalException>(() => _portal.Client().FindReceiptAsync("POS-9", Uuid, CancellationToken.None));

        Assert.Contains("POS-9", error.Message, StringComparison.Ordinal);
        Assert.Empty(_portal.Server.LogEntries);
    }

    [Fact]
    public async Task A_401_drops_the_token_and_the_call_is_made_once_more_with_a_new_one()
    {
        _portal.Tokens("t1", "t2");
        const string path = "/api/v1/receipts/abc/details";
        _portal.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("401").WillSetStateTo("renewed")
            .RespondWith(Response.Create().WithStatusCode(401));
        _portal.Server.Given(Request.Create().WithPath(path).UsingGet()).InScenario("401").WhenStateIs("renewed")
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("""{"receipt":{"uuid":"abc","status":"Valid"}}"""));

        var receipt = await _portal.Client().FindReceiptAsync(Device, "abc", CancellationToken.None);

        Assert.Equal("abc", receipt!.Uuid);
        Assert.Equal(2, _portal.Requests(TokenPath).Count);
        Assert.Equal(["Bearer t1", "Bearer t2"], _portal.Requests(path).Select(c => Header(c, "Authorization")));
    }

    [Fact]
    public async Task A_second_401_is_reported_and_not_retried_further()
    {
        _portal.Tokens("t1", "t2", "t3");
        const string path = "/api/v1/receipts/abc/details";
        _portal.Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(401));

        var error = await Assert.ThrowsAsync<EtaPortalException>(() => _portal.Client().FindReceiptAsync(Device, "abc", CancellationToken.None));

        Assert.Equal((int)HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, _portal.Requests(path).Count);
        Assert.Equal(2, _portal.Requests(TokenPath).Count);
    }

    public void Dispose() => _portal.Dispose();
}
