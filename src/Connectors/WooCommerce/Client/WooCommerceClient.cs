using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Integration.Workflows.Connectors;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// One store's REST API: each call at the store's polite pace, through the resilience pipeline, with WooCommerce's
/// error bodies turned into <see cref="WooCommerceException"/>, lists read page by page (<c>X-WP-TotalPages</c>) and
/// batches cut at 100 objects with every item's error checked.
/// </summary>
public sealed class WooCommerceClient
{
    /// <summary>WooCommerce's largest page (<c>per_page</c> above 100 is refused with 400).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The connector's name in metrics.</summary>
    internal const string Connector = "woocommerce";

    private readonly ResiliencePipeline<WooCommerceResponse> _pipeline;
    private readonly ResiliencePipeline<WooCommerceResponse> _outage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WooCommerceStoreOptions _store;

    internal WooCommerceClient(IWooCommerceApi api, WooCommerceStoreOptions store, WooCommerceResilienceOptions resilience, TimeProvider time, ILogger logger)
    {
        Api = api;
        _store = store;
        _time = time;
        _logger = logger;
        Pace = new WooCommercePace(store.RequestsPerSecond, store.MaxConcurrentRequests, store.Key);
        Outage = new OutageBreaker(time);
        _outage = WooCommerceResilience.Outage(store.Key, resilience, Outage, logger);
        _pipeline = WooCommerceResilience.Build(store.Key, resilience, time, logger);
    }

    /// <summary>Whether the store is paused as down.</summary>
    public OutageBreaker Outage { get; }

    public string Store => _store.Key;

    public WooCommercePace Pace { get; }

    internal IWooCommerceApi Api { get; }

    /// <summary>Sends one call and returns its answer, whatever its status (after retries of 429, 5xx and network errors).</summary>
    internal async Task<WooCommerceResponse> SendAsync(string operation, Func<IWooCommerceApi, CancellationToken, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_store.BaseUrl))
        {
            throw new WooCommerceException(Store, operation, $"no BaseUrl ({WooCommerceOptions.Section}:Stores:N:BaseUrl is empty).");
        }

        if (_store.ResolvedConsumerKey is null || _store.ResolvedConsumerSecret is null)
        {
            throw new WooCommerceException(Store, operation, "no REST API key (set ConsumerKey and ConsumerSecret, or ConsumerKeyVariable and ConsumerSecretVariable).");
        }

        var startedAt = ConnectorTelemetry.Start();
        var reached = false; // whether the store-down breaker let the call through (a refusal after it is the inner breaker's)
        try
        {
            var response = await _outage.ExecuteAsync(
                async outer =>
                {
                    reached = true;
                    return await _pipeline.ExecuteAsync(
                        async ct =>
                        {
                            using var turn = await Pace.AcquireAsync(ct);
                            return await WooCommerceResponse.ReadAsync(await call(Api, ct), _time, ct);
                        },
                        outer);
                },
                cancellationToken);
            ConnectorTelemetry.Called(Connector, Store, operation, ConnectorTelemetry.StatusOf(response.Status), startedAt);
            return response;
        }
        catch (BrokenCircuitException ex)
        {
            var down = !reached;
            ConnectorTelemetry.Called(Connector, Store, operation, down ? "store-down" : "circuit-open", startedAt);
            throw new WooCommerceException(Store, operation, down
                ? "the store is down (every call in the last minutes failed after its retries); calls are paused."
                : "the store's API keeps failing; calls are paused (circuit open).", inner: ex) { ClientRetriesSpent = true };
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            ConnectorTelemetry.Called(Connector, Store, operation, ex is HttpRequestException ? "network" : "timeout", startedAt);
            throw new WooCommerceException(Store, operation, ex.Message, inner: ex) { ClientRetriesSpent = true };
        }
    }

    /// <summary>Sends one call and returns its JSON body; any answer but 2xx is a <see cref="WooCommerceException"/>.</summary>
    internal async Task<JsonNode> CallAsync(string operation, Func<IWooCommerceApi, CancellationToken, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        var response = await SendAsync(operation, call, cancellationToken);
        return response.IsSuccess && response.Body is not null ? response.Body : throw Failure(operation, response);
    }

    /// <summary>Like <see cref="CallAsync"/>, but null for a 404 (no such order, customer, product).</summary>
    internal async Task<JsonObject?> FindAsync(string operation, Func<IWooCommerceApi, CancellationToken, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        var response = await SendAsync(operation, call, cancellationToken);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.IsSuccess && response.Body is JsonObject found ? found : throw Failure(operation, response);
    }

    /// <summary>Every object of a list, page by page (<paramref name="page"/> gets the page number, from 1, and the page size).</summary>
    internal async IAsyncEnumerable<JsonObject> PagesAsync(
        string operation, Func<IWooCommerceApi, int, int, CancellationToken, Task<HttpResponseMessage>> page, int pageSize = MaxPageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        for (var number = 1; ; number++)
        {
            var current = number;
            var response = await SendAsync(operation, (api, ct) => page(api, current, pageSize, ct), cancellationToken);
            if (!response.IsSuccess || response.Body is not JsonArray items)
            {
                throw Failure(operation, response);
            }

            // Detached from the page, so callers may put them in arrays of their own.
            var objects = items.OfType<JsonObject>().ToList();
            items.Clear();
            foreach (var item in objects)
            {
                yield return item;
            }

            // X-WP-TotalPages says when to stop; without it (a caching proxy stripped it), a short page does.
            var last = response.TotalPages is { } total ? current >= total : objects.Count < pageSize;
            if (last || objects.Count == 0)
            {
                yield break;
            }

            _logger.LogDebug("WooCommerce {Store} {Operation}: page {Page} of {Pages}", Store, operation, current + 1, response.TotalPages);
        }
    }

    /// <summary>
    /// Sends a batch (<c>create</c>, <c>update</c>, <c>delete</c>) in requests of at most <see cref="WooCommerceBatch.MaxItems"/>
    /// objects and checks every item: WooCommerce answers 200 even when items failed, each failed item carrying its own
    /// <c>error</c>. A store that allows fewer items per batch (413) gets smaller requests.
    /// </summary>
    internal Task<WooCommerceBatchResult> BatchAsync(
        string operation, Func<IWooCommerceApi, JsonObject, CancellationToken, Task<HttpResponseMessage>> send,
        IReadOnlyList<JsonObject>? create = null, IReadOnlyList<JsonObject>? update = null, IReadOnlyList<long>? delete = null,
        CancellationToken cancellationToken = default) =>
        WooCommerceBatch.SendAsync(this, operation, send, create ?? [], update ?? [], delete ?? [], cancellationToken);

    internal WooCommerceException Failure(string operation, WooCommerceResponse response)
    {
        var what = response.Status switch
        {
            HttpStatusCode.Unauthorized => "the REST API key was refused (401)",
            HttpStatusCode.Forbidden => "the REST API key may not do this (403: give the key Read/Write permission)",
            HttpStatusCode.NotFound => "not found (404)",
            HttpStatusCode.RequestEntityTooLarge => "too many objects in one request (413)",
            _ when response.IsSuccess => $"HTTP {(int)response.Status} with a body that is not the expected JSON",
            _ => $"HTTP {(int)response.Status}",
        };
        var detail = response.ErrorMessage is { } message ? $"{what}: {message}" + (response.ErrorCode is { } code ? $" ({code})" : "")
            : response.RawBody is { } raw ? $"{what}: {raw}" : what;
        // A 429 or 5xx came out of the pipeline's retries.
        return new WooCommerceException(Store, operation, detail, response.Status, response.ErrorCode) { ClientRetriesSpent = response.IsThrottled || response.IsServerError };
    }
}
