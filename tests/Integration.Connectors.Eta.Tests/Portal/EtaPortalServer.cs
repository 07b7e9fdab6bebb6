using System.Text;
using Integration.Connectors.Eta.Portal;
using Microsoft.Extensions.Logging.Abstractions;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Connectors.Eta.Tests.Portal;

/// <summary>A WireMock server scripted per test as ETA's identity service and e-receipt API, and clients pointed at it.</summary>
internal sealed class EtaPortalServer : IDisposable
{
    public const string Device = "POS-1";
    public const string TokenPath = "/connect/token";
    public const string SubmitPath = "/api/v1/receiptsubmissions";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public EtaOptions Options => new()
    {
        IdentityUrl = Server.Url,
        ApiUrl = Server.Url,
        TokenRefreshMargin = TimeSpan.FromSeconds(60),
        Devices = [new EtaDeviceOptions { Serial = Device, ClientId = "client-1", ClientSecret = "secret-1", PresharedKey = "psk-1", OsVersion = "linux", ModelFramework = "1" }],
    };

    /// <summary>
    /// Small waits so retries run fast; tests that need other values pass their own. The attempt timeout is long: on a
    /// loaded machine a first request (JIT, first connection) once took over 5 s and was retried, a second token fetch.
    /// </summary>
    public static EtaPortalResilienceOptions FastRetries(int maxAttempts = 3) => new()
    {
        MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(60),
    };

    public EtaPortalClient Client(TimeProvider? time = null, EtaPortalResilienceOptions? resilience = null) =>
        new(Options, resilience ?? FastRetries(), new HttpClient(), new HttpClient(), time ?? TimeProvider.System, NullLogger.Instance);

    /// <summary>The token endpoint hands out <paramref name="tokens"/> in turn (the last one from then on).</summary>
    public void Tokens(params string[] tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var request = Server.Given(Request.Create().WithPath(TokenPath).UsingPost());
            // A scenario only when there is a sequence (WireMock refuses one that never changes state).
            request = tokens.Length == 1 ? request : request.InScenario("token");
            request = i == 0 ? request : request.WhenStateIs("token-" + i);
            if (i < tokens.Length - 1)
            {
                request = request.WillSetStateTo("token-" + (i + 1));
            }

            request.RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"access_token":"{{tokens[i]}}","token_type":"Bearer","expires_in":3600,"scope":"InvoicingAPI"}"""));
        }
    }

    public IReadOnlyList<ILogEntry> Requests(string path) =>
        Server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToList();

    /// <summary>
    /// The requests to <paramref name="path"/> once delayed answers are done: WireMock logs a request only after its
    /// answer, even when the client gave up waiting.
    /// </summary>
    public async Task<IReadOnlyList<ILogEntry>> SettledRequestsAsync(string path, TimeSpan stubDelay)
    {
        // On a loaded machine logging can come later than the delay: none logged yet is not settled (for up to 30 s).
        var count = -1;
        var stableSince = DateTime.UtcNow;
        var giveUpAt = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow - stableSince < stubDelay + TimeSpan.FromMilliseconds(300) || (count == 0 && DateTime.UtcNow < giveUpAt))
        {
            var now = Requests(path).Count;
            if (now != count)
            {
                (count, stableSince) = (now, DateTime.UtcNow);
            }

            await Task.Delay(50);
        }

        return Requests(path);
    }

    public static string Header(ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.ToString();

    public static byte[] Body(ILogEntry entry) => entry.RequestMessage.BodyAsBytes ?? Encoding.UTF8.GetBytes(entry.RequestMessage.Body ?? "");

    public void Dispose() => Server.Stop();
}
