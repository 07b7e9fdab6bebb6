using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Refit;

namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The ETA e-receipt API for the configured POS devices: submissions, their validation state, and single receipts.
/// Tokens are fetched per device and reused; busy or unreachable answers are retried within the call, then reported as
/// <see cref="EtaTransientException"/>; refusals are <see cref="EtaPortalException"/>.
/// </summary>
public sealed class EtaPortalClient
{
    internal const string IdentityClientName = "eta-identity";
    internal const string ApiClientName = "eta-api";

    /// <summary>The connector's name in metrics (whose store label is the POS device).</summary>
    internal const string Connector = "eta";
    private const int PageSize = 100;

    // The most pages a submission's details can have: 500 receipts a submission, 100 a page.
    private const int MaxPagesWithoutCount = 5;
    private const string MayHaveBeenTaken = " The portal may have taken the submission: check the receipts.";

    private static readonly RefitSettings Settings = new() { ContentSerializer = SystemTextJsonContentSerializer.ForContext(EtaPortalJsonContext.Default) };

    private readonly EtaOptions _options;
    private readonly EtaPortalResilienceOptions _resilience;
    private readonly IEtaIdentityApi _identity;
    private readonly IEtaReceiptApi _api;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EtaTokenCache _tokens;
    private readonly ResiliencePipeline<EtaPortalAnswer> _pipeline;
    private readonly ResiliencePipeline<EtaPortalAnswer> _submitPipeline;

    public EtaPortalClient(
        IOptions<EtaOptions> options, IOptions<EtaPortalResilienceOptions> resilience, IHttpClientFactory httpClients, TimeProvider time, ILogger<EtaPortalClient> logger)
        : this(options.Value, resilience.Value, httpClients.CreateClient(IdentityClientName), httpClients.CreateClient(ApiClientName), time, logger)
    {
    }

    internal EtaPortalClient(EtaOptions options, EtaPortalResilienceOptions resilience, HttpClient identity, HttpClient api, TimeProvider time, ILogger logger)
    {
        _options = options;
        _resilience = resilience;
        _time = time;
        _logger = logger;
        _identity = RestService.ForGenerated<IEtaIdentityApi>(Prepare(identity, options.IdentityBaseUrl), Settings);
        _api = RestService.ForGenerated<IEtaReceiptApi>(Prepare(api, options.ApiBaseUrl), Settings);
        _tokens = new EtaTokenCache(time, options.TokenRefreshMargin);
        _pipeline = EtaPortalResilience.Build("read", mayResend: true, resilience, time, logger);
        _submitPipeline = EtaPortalResilience.Build("submit", mayResend: false, resilience, time, logger);
    }

    /// <summary>
    /// Submits the receipts of one device as one batch, each exactly as given (the portal hashes the text). Throws
    /// <see cref="EtaDuplicateSubmissionException"/> when the same body was taken in the last 10 minutes, and
    /// <see cref="EtaTransientException"/> when it is unknown whether the portal took it (then look the receipts up).
    /// </summary>
    public async Task<EtaSubmissionResult> SubmitAsync(string deviceSerial, IReadOnlyList<string> receiptJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiptJson);
        if (receiptJson.Count == 0 || receiptJson.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A submission holds one receipt or more, none empty.", nameof(receiptJson));
        }

        var device = Device(deviceSerial);
        var body = SubmissionBody(receiptJson);
        // The portal would refuse it whole (400 MaximumSizeExceeded); saying so here spares the round trip.
        var bytes = Encoding.UTF8.GetByteCount(body);
        if (receiptJson.Count > _options.MaxReceiptsPerSubmission || bytes > _options.MaxSubmissionBytes)
        {
            throw new EtaPortalException(
                $"ETA submission for device {device.Serial}: {receiptJson.Count} receipts, {bytes} bytes; at most {_options.MaxReceiptsPerSubmission} receipts and {_options.MaxSubmissionBytes} bytes.",
                "MaximumSizeExceeded");
        }

        var answer = await CallApiAsync(device, "submit", _submitPipeline,
            (authorization, ct) => _api.SubmitAsync(new StringContent(body, Encoding.UTF8, "application/json"), authorization, ct), cancellationToken);
        if (!answer.IsSuccess || answer.IsUnreadable)
        {
            var failure = Failure("submit", device.Serial, answer);
            if (failure is EtaTransientException transient && !EtaPortalResilience.ProvesNotTaken(answer))
            {
                throw new EtaTransientException(transient.Message + MayHaveBeenTaken, transient.RetryAfter, transient.Code, transient.StatusCode);
            }

            // A 422 says the portal has this very body already; everything else here was refused whole.
            failure.NotTaken = failure is not EtaDuplicateSubmissionException;
            throw failure;
        }

        var result = EtaPortalReader.Submission(answer.Body!)
            ?? throw new EtaTransientException($"ETA portal submit for device {device.Serial}: HTTP {answer.StatusCode} without a submission id; check the receipts.", answer.RetryAfter, statusCode: answer.StatusCode);
        _logger.LogInformation("ETA submission {SubmissionId} from device {Device}: {Accepted} accepted, {Rejected} rejected",
            result.SubmissionId, device.Serial, result.Accepted.Count, result.Rejected.Count);
        return result;
    }

    /// <summary>A submission's state with the receipts of every page.</summary>
    public async Task<EtaSubmissionStatus> GetSubmissionAsync(string deviceSerial, string submissionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(submissionId);
        var device = Device(deviceSerial);
        var receipts = new List<EtaReceiptStatus>();
        string? id = null;
        string? status = null;
        for (var page = 1; ; page++)
        {
            var pageNo = page;
            var answer = await CallApiAsync(device, "submission details", _pipeline,
                (authorization, ct) => _api.SubmissionDetailsAsync(submissionId, pageNo, PageSize, authorization, ct), cancellationToken);
            if (!answer.IsSuccess || answer.IsUnreadable)
            {
                throw Failure("submission details", device.Serial, answer);
            }

            var read = EtaPortalReader.SubmissionPage(answer.Body!, submissionId);
            id ??= read.Id;
            status = read.Status ?? status;
            receipts.AddRange(read.Receipts);
            // An empty page ends it too, should totalPages overstate; without it, a page less than full is the last, and a
            // submission holds up to 500 receipts (five pages), so a portal that ignored the page number cannot loop.
            if (read.Receipts.Count == 0 || (read.TotalPages is { } pages ? page >= pages : read.Receipts.Count < PageSize || page >= MaxPagesWithoutCount))
            {
                break;
            }
        }

        return new EtaSubmissionStatus(id ?? submissionId, status ?? "", receipts);
    }

    /// <summary>One receipt's state; null when the portal does not know it (404).</summary>
    public async Task<EtaReceiptStatus?> FindReceiptAsync(string deviceSerial, string uuid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        var device = Device(deviceSerial);
        var answer = await CallApiAsync(device, "receipt details", _pipeline,
            (authorization, ct) => _api.ReceiptDetailsAsync(uuid, authorization, ct), cancellationToken);
        if (answer.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!answer.IsSuccess || answer.IsUnreadable)
        {
            throw Failure("receipt details", device.Serial, answer);
        }

        return EtaPortalReader.Receipt(answer.Body!);
    }

    /// <summary>Makes sure the device has an access token: the one held while valid, else a new one from the portal (the health check).</summary>
    public async Task EnsureTokenAsync(string deviceSerial, CancellationToken cancellationToken)
    {
        var device = Device(deviceSerial);
        await _tokens.GetAsync(device.Serial, ct => FetchTokenAsync(device, ct), cancellationToken);
    }

    // String concatenation, not serialization: the receipts go out byte for byte as their UUIDs were computed.
    internal static string SubmissionBody(IReadOnlyList<string> receiptJson)
    {
        var body = new StringBuilder("{\"receipts\":[", receiptJson.Sum(r => r.Length + 1) + 80);
        for (var i = 0; i < receiptJson.Count; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(receiptJson[i]);
        }

        return body.Append("],\"signatures\":[{\"signatureType\":\"I\",\"value\":\"\"}]}").ToString();
    }

    private static HttpClient Prepare(HttpClient http, string baseUrl)
    {
        http.BaseAddress = new Uri(baseUrl.TrimEnd('/'));
        // The pipeline times out each attempt; HttpClient's own limit would only cut retries short.
        http.Timeout = Timeout.InfiniteTimeSpan;
        return http;
    }

    private EtaDeviceOptions Device(string deviceSerial) =>
        _options.Devices.FirstOrDefault(d => string.Equals(d.Serial, deviceSerial, StringComparison.Ordinal))
        ?? throw new EtaPortalException($"ETA device '{deviceSerial}' is not configured ({EtaOptions.Section}:Devices).", "UnknownDevice");

    /// <summary>One API call with the device's token; a 401 drops the token and the call is made once more with a new one.</summary>
    private async Task<EtaPortalAnswer> CallApiAsync(
        EtaDeviceOptions device, string call, ResiliencePipeline<EtaPortalAnswer> pipeline,
        Func<string, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await _tokens.GetAsync(device.Serial, ct => FetchTokenAsync(device, ct), cancellationToken);
            var answer = await RunAsync(call, device.Serial, pipeline, ct => send("Bearer " + token, ct), cancellationToken);
            if (answer.Status != HttpStatusCode.Unauthorized || attempt > 1)
            {
                return answer;
            }

            _logger.LogInformation("ETA portal {Call} for device {Device}: token refused (401), fetching a new one", call, device.Serial);
            _tokens.Invalidate(device.Serial, token);
        }
    }

    private async Task<(string Token, TimeSpan ExpiresIn)> FetchTokenAsync(EtaDeviceOptions device, CancellationToken cancellationToken)
    {
        var answer = await RunAsync("token", device.Serial, _pipeline, ct => _identity.TokenAsync(
            new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", device.ClientId),
                new("client_secret", device.ClientSecret),
            ]),
            device.Serial, device.OsVersion, device.ModelFramework, device.PresharedKey, ct), cancellationToken);
        if (!answer.IsSuccess || answer.IsUnreadable)
        {
            var failure = Failure("token", device.Serial, answer);
            throw failure is EtaTransientException
                ? failure
                : new EtaPortalException($"ETA refused a token for device {device.Serial} (HTTP {answer.StatusCode}): {answer.Describe()}", answer.ErrorCode, answer.StatusCode);
        }

        var token = EtaPortalAnswer.Str(answer.Body!["access_token"]);
        if (string.IsNullOrEmpty(token))
        {
            throw new EtaPortalException($"ETA token answer for device {device.Serial} has no access_token.", statusCode: answer.StatusCode);
        }

        var seconds = answer.Body!["expires_in"] is JsonValue v && double.TryParse(EtaPortalAnswer.Str(v), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 3600;
        _logger.LogInformation("ETA token fetched for device {Device}, valid {Seconds} s", device.Serial, seconds);
        return (token, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Runs one call through a pipeline; what is left of network failures and timeouts becomes transient.</summary>
    private async Task<EtaPortalAnswer> RunAsync(
        string call, string device, ResiliencePipeline<EtaPortalAnswer> pipeline, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        // After a submission left, a lost answer does not say whether the portal took it.
        var unknown = call == "submit" ? MayHaveBeenTaken : "";
        var startedAt = ConnectorTelemetry.Start();
        try
        {
            var answer = await pipeline.ExecuteAsync(async ct => await EtaPortalAnswer.ReadAsync(await send(ct), _time, ct), cancellationToken);
            ConnectorTelemetry.Called(Connector, device, call, answer.IsUnreadable ? "unreadable" : ConnectorTelemetry.StatusOf(answer.Status), startedAt);
            return answer;
        }
        catch (TimeoutRejectedException ex)
        {
            ConnectorTelemetry.Called(Connector, device, call, "timeout", startedAt);
            throw new EtaTransientException($"ETA portal {call} for device {device}: no answer within {_resilience.AttemptTimeout}.{unknown}", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            ConnectorTelemetry.Called(Connector, device, call, "network", startedAt);
            throw new EtaTransientException($"ETA portal {call} for device {device}: {ex.Message}{unknown}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            ConnectorTelemetry.Called(Connector, device, call, "timeout", startedAt);
            throw new EtaTransientException($"ETA portal {call} for device {device}: the request was cut off.{unknown}", inner: ex);
        }
    }

    private static EtaPortalException Failure(string call, string device, EtaPortalAnswer answer)
    {
        var message = $"ETA portal {call} for device {device}: HTTP {answer.StatusCode} {answer.Describe()}";
        return answer.Status switch
        {
            HttpStatusCode.UnprocessableEntity => new EtaDuplicateSubmissionException(message, answer.RetryAfter, answer.ErrorCode),
            HttpStatusCode.Unauthorized => new EtaPortalException(message, answer.ErrorCode ?? "Unauthorized", answer.StatusCode),
            HttpStatusCode.TooManyRequests => new EtaTransientException(message, answer.RetryAfter, answer.ErrorCode, answer.StatusCode),
            _ when answer.StatusCode >= 500 || answer.IsUnreadable => new EtaTransientException(message, answer.RetryAfter, answer.ErrorCode, answer.StatusCode),
            _ => new EtaPortalException(message, answer.ErrorCode, answer.StatusCode),
        };
    }
}
