using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Integration.Simulators.Eta;

/// <summary>
/// The ETA e-receipt portal on WireMock: POS token issuing, receipt submissions checked synchronously (uuid recomputed
/// independently of the connector, chain, duplicates, limits) and validated asynchronously (decided after
/// <see cref="DecisionAfterPolls"/> detail polls), plus the portal's failure modes (throttling, 503, the WAF's HTML page).
/// Identity and API share one base URL.
/// </summary>
public sealed partial class EtaPortalSimulator : IDisposable
{
    private const string HtmlRejection =
        "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consult with your administrator.<br><br>Your support ID is: 11795353446284893621</body></html>";

    private readonly WireMockServer _server;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, EtaDevice> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EtaAccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly List<EtaReceiptState> _receipts = [];
    private readonly Dictionary<string, EtaReceiptState> _receiptsByUuid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EtaSubmissionState> _submissions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _postsPerUuid = new(StringComparer.Ordinal);
    private int _forcedThrottles;
    private TimeSpan _forcedRetryAfter;
    private int _submissionRequests;
    private int _acceptedSubmissions;
    private int _tokensIssued;
    private string _submissionIdKey = "submissionId";
    private int _decisionAfterPolls = 1;
    private Func<JsonElement, IEnumerable<SimulatedEtaError>>? _rules;
    private Func<JsonElement, SimulatedEtaError?>? _refuseOnArrival;
    private int _maxSubmissionsPerMinute = int.MaxValue;
    private bool _down;
    private DateTimeOffset _downUntil;
    private int _refusedWhileDown;
    private bool _answerHtml;
    private bool _receiptLookupsForbidden;
    private int _unindexedLookups;

    private EtaPortalSimulator(TimeProvider clock)
    {
        _clock = clock;
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath(new RegexMatcher(".*")))
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public static EtaPortalSimulator Start(TimeProvider? clock = null) => new(clock ?? TimeProvider.System);

    /// <summary>The base URL of both the identity (<c>/connect/token</c>) and the API (<c>/api/v1/...</c>).</summary>
    public string Url => _server.Url!;

    /// <summary>The key the 202 answer carries the submission id under: <c>submissionId</c> or <c>submissionUUID</c>.</summary>
    public string SubmissionIdKey { get => Read(() => _submissionIdKey); set => Write(() => _submissionIdKey = value); }

    /// <summary>How many detail GETs of a submission answer InProgress before its receipts are decided.</summary>
    public int DecisionAfterPolls { get => Read(() => _decisionAfterPolls); set => Write(() => _decisionAfterPolls = value); }

    /// <summary>Extra validation rules run at decision time; any error makes the receipt Invalid.</summary>
    public Func<JsonElement, IEnumerable<SimulatedEtaError>>? Rules { get => Read(() => _rules); set => Write(() => _rules = value); }

    /// <summary>A rule run on each receipt as a submission arrives: an error refuses it there (<c>rejectedDocuments</c>), before the built-in chain checks.</summary>
    public Func<JsonElement, SimulatedEtaError?>? RefuseOnArrival { get => Read(() => _refuseOnArrival); set => Write(() => _refuseOnArrival = value); }

    /// <summary>More submissions than this per device within a minute of the clock answer 429 with Retry-After.</summary>
    public int MaxSubmissionsPerMinute { get => Read(() => _maxSubmissionsPerMinute); set => Write(() => _maxSubmissionsPerMinute = value); }

    /// <summary>Every call answers 503.</summary>
    public bool Down { get => Read(() => _down); set => Write(() => _down = value); }

    /// <summary>Every call answers 503 until this time of the simulator's clock: an outage measured in its time, fake or real.</summary>
    public DateTimeOffset DownUntil { get => Read(() => _downUntil); set => Write(() => _downUntil = value); }

    /// <summary>Calls answered 503 because the portal was down.</summary>
    public int RefusedWhileDown => Read(() => _refusedWhileDown);

    /// <summary>Every call answers 200 text/html "Request Rejected", as ETA's WAF does.</summary>
    public bool AnswerHtml { get => Read(() => _answerHtml); set => Write(() => _answerHtml = value); }

    /// <summary>A receipt's details (<c>GET /api/v1/receipts/{uuid}/details</c>) answer 403, as for a taxpayer not allowed to read them.</summary>
    public bool ReceiptLookupsForbidden { get => Read(() => _receiptLookupsForbidden); set => Write(() => _receiptLookupsForbidden = value); }

    /// <summary>The next this many receipt lookups answer 404 though the portal holds the receipt, as before it is indexed.</summary>
    public int UnindexedLookups { get => Read(() => _unindexedLookups); set => Write(() => _unindexedLookups = value); }

    /// <summary>Every accepted receipt, in arrival order.</summary>
    public IReadOnlyList<SimulatedReceipt> Receipts => Read(() => _receipts.Select(r => r.Snapshot()).ToList());

    /// <summary>POSTs to receiptsubmissions, whatever they were answered.</summary>
    public int SubmissionRequests => Read(() => _submissionRequests);

    /// <summary>Submissions answered 202.</summary>
    public int AcceptedSubmissions => Read(() => _acceptedSubmissions);

    public int TokensIssued => Read(() => _tokensIssued);

    /// <summary>Receipt uuids that arrived in more than one POST (not counting 422, 429, 503 or the HTML page).</summary>
    public IReadOnlyList<string> ReceiptUuidsSubmittedMoreThanOnce =>
        Read(() => _postsPerUuid.Where(p => p.Value > 1).Select(p => p.Key).Order(StringComparer.Ordinal).ToList());

    /// <summary>Forgets how often a receipt arrived: a test that sends one again on purpose, so later checks of double sends are about their own.</summary>
    public void ForgetPostsOf(string uuid) => Write(() => _postsPerUuid.Remove(uuid));

    /// <summary>The simulator's own UUID of a receipt (ETA serialization with <c>header.uuid</c> as "", SHA-256, lowercase hex).</summary>
    public static string ComputeUuid(string receiptJson) => EtaUuidCalculator.ComputeUuid(receiptJson);

    public SimulatedReceipt? Receipt(string uuid) => Read(() => _receiptsByUuid.GetValueOrDefault(uuid)?.Snapshot());

    public void RegisterDevice(string serial, string clientId, string clientSecret, string presharedKey, string osVersion = "linux", string modelFramework = "1") =>
        Write(() => _devices[serial] = new EtaDevice(serial, clientId, clientSecret, presharedKey, osVersion, modelFramework));

    /// <summary>The next <paramref name="submissions"/> submission POSTs answer 429 with <paramref name="retryAfter"/>.</summary>
    public void ThrottleNext(int submissions, TimeSpan retryAfter) => Write(() =>
    {
        _forcedThrottles = submissions;
        _forcedRetryAfter = retryAfter;
    });

    private IResponseMessage Answer(IRequestMessage request)
    {
        var path = request.Path.TrimEnd('/');
        var method = request.Method.ToUpperInvariant();
        lock (_gate)
        {
            var isSubmission = method == "POST" && path.Equals("/api/v1/receiptsubmissions", StringComparison.OrdinalIgnoreCase);
            if (isSubmission)
            {
                _submissionRequests++;
            }

            if (_down || _clock.GetUtcNow() < _downUntil)
            {
                _refusedWhileDown++;
                return Reply(HttpStatusCode.ServiceUnavailable, new JsonObject { ["error"] = new JsonObject { ["code"] = "ServiceUnavailable", ["message"] = "The service is unavailable." } });
            }

            if (_answerHtml)
            {
                return Html();
            }

            if (method == "POST" && path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase))
            {
                return IssueToken(request);
            }

            if (isSubmission)
            {
                var (answer, counts) = Submit(request);
                if (counts)
                {
                    CountPostedUuids(BodyBytes(request));
                }

                return answer;
            }

            if (method == "GET" && SubmissionDetailsPath().Match(path) is { Success: true } submission)
            {
                return SubmissionDetails(request, submission.Groups["id"].Value);
            }

            if (method == "GET" && ReceiptDetailsPath().Match(path) is { Success: true } receipt)
            {
                return ReceiptDetails(request, receipt.Groups["uuid"].Value);
            }

            return Reply(HttpStatusCode.NotFound, null);
        }
    }

    /// <summary>The device serial of a valid bearer token, or null (missing, unknown or expired).</summary>
    private string? Authorize(IRequestMessage request)
    {
        var header = Header(request, "Authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return _tokens.TryGetValue(header["Bearer ".Length..].Trim(), out var token) && token.ExpiresAt > _clock.GetUtcNow() ? token.DeviceSerial : null;
    }

    private static string? Header(IRequestMessage request, string name) =>
        request.Headers?.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static string? Query(IRequestMessage request, string name) =>
        request.Query?.FirstOrDefault(q => q.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static byte[] BodyBytes(IRequestMessage request) =>
        request.BodyAsBytes ?? (request.Body is { } text ? Encoding.UTF8.GetBytes(text) : []);

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void Write(Action write)
    {
        lock (_gate)
        {
            write();
        }
    }

    private static ResponseMessage Reply(HttpStatusCode status, JsonNode? body, TimeSpan? retryAfter = null)
    {
        var headers = new Dictionary<string, WireMockList<string>>();
        if (retryAfter is { } after)
        {
            // Whole seconds, at least one: what the portal's Retry-After carries.
            headers["Retry-After"] = new(Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        var message = new ResponseMessage { StatusCode = (int)status, Headers = headers };
        if (body is not null)
        {
            headers["Content-Type"] = new("application/json; charset=utf-8");
            message.BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String };
        }

        return message;
    }

    private static ResponseMessage Html() => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("text/html; charset=utf-8") },
        BodyData = new BodyData { BodyAsString = HtmlRejection, DetectedBodyType = BodyType.String },
    };

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    [GeneratedRegex("^/api/v1/receiptsubmissions/(?<id>[^/]+)/details$", RegexOptions.IgnoreCase)]
    private static partial Regex SubmissionDetailsPath();

    [GeneratedRegex("^/api/v1/receipts/(?<uuid>[^/]+)/details$", RegexOptions.IgnoreCase)]
    private static partial Regex ReceiptDetailsPath();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
