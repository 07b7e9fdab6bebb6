using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Integration.Simulators.Shopify;

/// <summary>
/// A Shopify shop on WireMock: the GraphQL Admin API operations the connector sends (dispatched on
/// <c>operationName</c>), paced by a cost-based leaky bucket that answers like Shopify (<c>extensions.cost</c>, 429 or
/// THROTTLED), the shop's state, injected failures, and webhooks sent the way Shopify sends them.
/// </summary>
public sealed partial class ShopifySimulator : IDisposable
{
    private readonly WireMockServer _server;
    private readonly CostBucket _bucket;
    private readonly Queue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _failures = new();
    private readonly Dictionary<string, JsonObject> _idempotentResults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _priceWrites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _lastVariables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _lastRequested = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HttpStatusCode> _failingOperations = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _successesBeforeFailing = new(StringComparer.Ordinal);
    private readonly List<string> _ranInOrder = [];
    private readonly List<string> _throttledCalls = [];
    private long _requests;
    private long _throttled;
    private long _serverErrors;
    private double _pointsSpent;
    private long _firstRequestAt;
    private long _lastAnswerAt;

    public ShopifySimulator(ShopifySimulatorOptions? options = null)
    {
        Options = options ?? new ShopifySimulatorOptions();
        var rate = Options.RestoreRate ?? Options.Plan.RestoreRate();
        _bucket = new CostBucket(Options.BucketSize ?? rate * 20, rate, Options.Time);
        Webhooks = new ShopifyWebhookSender(Options);
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher(@"^/admin/api/[^/]+/graphql\.json$")).UsingPost())
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public ShopifySimulatorOptions Options { get; }

    public ShopifyShopState State { get; } = new();

    public ShopifyWebhookSender Webhooks { get; }

    /// <summary>
    /// Raised with an order's REST body when an API call changed it (a metafield set on it moves its updated_at), as
    /// Shopify then sends <c>orders/updated</c>. Raised under the simulator's lock: a handler must hand the body on, not
    /// block.
    /// </summary>
    public event Action<string>? OrderUpdated;

    /// <summary>The Admin API base URL to configure as the store's <c>AdminUrl</c>.</summary>
    public string AdminUrl => _server.Url!;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>From the first request received to the last answer sent: how long the store was kept busy.</summary>
    public TimeSpan BusyTime => Interlocked.Read(ref _firstRequestAt) is var first and not 0
        ? System.Diagnostics.Stopwatch.GetElapsedTime(first, Interlocked.Read(ref _lastAnswerAt))
        : TimeSpan.Zero;

    /// <summary>Requests refused for lack of points (HTTP 429 or THROTTLED).</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>What each request refused for lack of points asked for, and what the bucket held (for a failing test's message).</summary>
    public IReadOnlyList<string> ThrottledCalls
    {
        get
        {
            lock (State.Gate)
            {
                return [.. _throttledCalls];
            }
        }
    }

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    /// <summary>Points charged (actual cost) for the requests that ran.</summary>
    public double PointsSpent { get { lock (State.Gate) { return _pointsSpent; } } }

    public double RestoreRate => _bucket.RestoreRate;

    public double BucketSize => _bucket.Size;

    public double PointsAvailable => _bucket.Available;

    /// <summary>How many <c>productVariantsBulkUpdate</c> calls named the SKU's variant, taken or refused.</summary>
    public int PriceWritesOf(string sku)
    {
        lock (State.Gate)
        {
            return _priceWrites.GetValueOrDefault(sku);
        }
    }

    /// <summary>How many times an operation ran (not counting throttled or failed requests).</summary>
    public int Ran(string operationName)
    {
        lock (State.Gate)
        {
            return _operations.GetValueOrDefault(operationName);
        }
    }

    /// <summary>The cost the last run of an operation was charged up front (<c>requestedQueryCost</c>), 0 when it never ran.</summary>
    public double LastRequestedCost(string operationName)
    {
        lock (State.Gate)
        {
            return _lastRequested.GetValueOrDefault(operationName);
        }
    }

    /// <summary>The operations that ran, in the order they ran.</summary>
    public IReadOnlyList<string> RanInOrder
    {
        get
        {
            lock (State.Gate)
            {
                return [.. _ranInOrder];
            }
        }
    }

    /// <summary>
    /// Every request of an operation is answered with <paramref name="status"/> (null: answered again), e.g. a store
    /// refusing stock writes; after <paramref name="successes"/> more requests of it that go through (a run that fails
    /// midway).
    /// </summary>
    public void FailOperation(string operationName, HttpStatusCode? status, int successes = 0)
    {
        lock (State.Gate)
        {
            _successesBeforeFailing.Remove(operationName);
            if (status is { } failing)
            {
                _failingOperations[operationName] = failing;
                if (successes > 0)
                {
                    _successesBeforeFailing[operationName] = successes;
                }
            }
            else
            {
                _failingOperations.Remove(operationName);
            }
        }
    }

    /// <summary>The variables of the last request of an operation that ran (a copy), or null when none ran.</summary>
    public JsonObject? LastVariables(string operationName)
    {
        lock (State.Gate)
        {
            return _lastVariables.TryGetValue(operationName, out var variables) ? variables.DeepClone().AsObject() : null;
        }
    }

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> (a 5xx storm, a 429 with Retry-After).</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable, TimeSpan? retryAfter = null)
    {
        lock (State.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue((status, retryAfter));
            }
        }
    }

    private IResponseMessage Answer(IRequestMessage request)
    {
        Interlocked.CompareExchange(ref _firstRequestAt, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        var response = Respond(request);
        Interlocked.Exchange(ref _lastAnswerAt, System.Diagnostics.Stopwatch.GetTimestamp());
        return response;
    }

    private ResponseMessage Respond(IRequestMessage request)
    {
        Interlocked.Increment(ref _requests);
        if (!request.Headers!.TryGetValue("X-Shopify-Access-Token", out var token) || token.FirstOrDefault() != Options.AccessToken)
        {
            return Reply(HttpStatusCode.Unauthorized, new JsonObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" });
        }

        lock (State.Gate)
        {
            if (_failures.TryDequeue(out var failure))
            {
                if ((int)failure.Status >= 500)
                {
                    Interlocked.Increment(ref _serverErrors);
                }

                return Reply(failure.Status, new JsonObject { ["errors"] = "Internal error. Looks like something went wrong on our end." }, failure.RetryAfter);
            }

            if (StormAnswer() is { } stormed)
            {
                return stormed;
            }
        }

        var body = JsonNode.Parse(request.Body ?? "{}")!.AsObject();
        var call = new GraphQLCall(
            body["query"]?.GetValue<string>() ?? "",
            body["operationName"]?.GetValue<string>() ?? "",
            body["variables"] as JsonObject ?? []);
        if (!Operations.TryGetValue(call.OperationName, out var operation))
        {
            return Reply(HttpStatusCode.OK, Errors($"The simulator does not know operation '{call.OperationName}' (name every operation).", "undefinedField"));
        }

        lock (State.Gate)
        {
            if (_successesBeforeFailing.TryGetValue(call.OperationName, out var successes))
            {
                _successesBeforeFailing[call.OperationName] = successes - 1;
                if (successes == 1)
                {
                    _successesBeforeFailing.Remove(call.OperationName);
                }
            }
            else if (_failingOperations.TryGetValue(call.OperationName, out var failing))
            {
                return Reply(failing, new JsonObject { ["errors"] = $"[API] {call.OperationName} refused ({(int)failing})." });
            }
        }

        var requested = operation.Cost(this, call);
        if (requested > Options.MaxQueryCost)
        {
            return Reply(HttpStatusCode.OK, Errors(
                $"Query cost is {requested}, which exceeds the single query max cost limit ({Options.MaxQueryCost}).", "MAX_COST_EXCEEDED"));
        }

        if (!_bucket.TryTake(requested, out var available))
        {
            Interlocked.Increment(ref _throttled);
            lock (State.Gate)
            {
                _throttledCalls.Add(FormattableString.Invariant($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {call.OperationName}: requested {requested}, available {available:0.#}"));
            }

            var answer = Errors("Throttled", "THROTTLED");
            answer["extensions"] = Cost(requested, null, available);
            var wait = TimeSpan.FromSeconds(Math.Ceiling((requested - available) / _bucket.RestoreRate * 10) / 10);
            return Options.ThrottleWith429 ? Reply(HttpStatusCode.TooManyRequests, answer, wait) : Reply(HttpStatusCode.OK, answer);
        }

        JsonObject result;
        double actual;
        lock (State.Gate)
        {
            (result, actual) = operation.Run(this, call);
            if (result["data"] is not null)
            {
                _operations[call.OperationName] = _operations.GetValueOrDefault(call.OperationName) + 1;
                _ranInOrder.Add(call.OperationName);
                _lastVariables[call.OperationName] = call.Variables;
                _lastRequested[call.OperationName] = requested;
            }

            _pointsSpent += actual;
        }

        var left = _bucket.Refund(requested - actual);
        result["extensions"] = Cost(requested, actual, left);
        return Reply(HttpStatusCode.OK, result);
    }

    private JsonObject Cost(double requested, double? actual, double available) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = _bucket.Size,
                ["currentlyAvailable"] = Math.Floor(available),
                ["restoreRate"] = _bucket.RestoreRate,
            },
        },
    };

    internal static JsonObject Errors(string message, string code) =>
        new() { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["extensions"] = new JsonObject { ["code"] = code } }) };

    private static ResponseMessage Reply(HttpStatusCode status, JsonObject body, TimeSpan? retryAfter = null)
    {
        var headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") };
        if (retryAfter is { } after)
        {
            headers["Retry-After"] = new(after.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        return new ResponseMessage
        {
            StatusCode = (int)status,
            Headers = headers,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    internal bool TryIdempotent(GraphQLCall call, out string? key, out JsonObject? earlier)
    {
        key = IdempotentKey().Match(call.Query) is { Success: true } m
            ? (m.Groups["variable"].Success ? call.Variables[m.Groups["variable"].Value]?.GetValue<string>() : m.Groups["literal"].Value)
            : null;
        earlier = key is not null && _idempotentResults.TryGetValue(key, out var found) ? found.DeepClone().AsObject() : null;
        return earlier is not null;
    }

    internal void RememberIdempotent(string key, JsonObject result) => _idempotentResults[key] = result.DeepClone().AsObject();

    [GeneratedRegex("""@idempotent\(\s*key:\s*(?:\$(?<variable>\w+)|"(?<literal>[^"]+)")\s*\)""")]
    private static partial Regex IdempotentKey();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        Webhooks.Dispose();
    }
}

/// <summary>One GraphQL request: its text, name and variables.</summary>
internal sealed record GraphQLCall(string Query, string OperationName, JsonObject Variables)
{
    public int First(int fallback) => Variables["first"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : fallback;

    /// <summary>
    /// The <c>first:</c> of a nested connection in the query text, e.g. <c>lineItems(first: 100)</c>; with
    /// <paramref name="after"/>, the first such connection after that text (a fulfillment order's <c>lineItems</c>).
    /// </summary>
    public int FirstOf(string connection, int fallback, string? after = null)
    {
        var from = after is null ? 0 : Query.IndexOf(after, StringComparison.Ordinal);
        return from >= 0 && Regex.Match(Query[from..], connection + @"\(\s*first:\s*(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : fallback;
    }
}
