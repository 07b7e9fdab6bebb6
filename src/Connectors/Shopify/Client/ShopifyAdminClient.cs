using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Integration.Workflows.Connectors;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Integration.Connectors.Shopify.Client;

/// <summary>
/// One store's GraphQL Admin API: named operations through the store's throttle and resilience pipeline, with errors
/// turned into exceptions (<see cref="ShopifyGraphQLException"/>, <see cref="ShopifyUserErrorException"/>).
/// </summary>
public sealed class ShopifyAdminClient
{
    /// <summary>The connector's name in metrics.</summary>
    internal const string Connector = "shopify";

    private readonly IShopifyAdminApi _api;
    private readonly ShopifyStoreOptions _store;
    private readonly ResiliencePipeline<ShopifyGraphQLResponse> _pipeline;
    private readonly ResiliencePipeline<ShopifyGraphQLResponse> _outage;
    private readonly ILogger _logger;

    internal ShopifyAdminClient(IShopifyAdminApi api, ShopifyStoreOptions store, ShopifyResilienceOptions resilience, TimeProvider time, ILogger logger)
    {
        _api = api;
        _store = store;
        _logger = logger;
        Throttle = new ShopifyThrottle(time, store.Key);
        Outage = new OutageBreaker(time);
        _outage = ShopifyResilience.Outage(store.Key, resilience, Outage, logger);
        _pipeline = ShopifyResilience.Build(store.Key, resilience, Throttle, time, logger);
    }

    /// <summary>Whether the shop is paused as down.</summary>
    public OutageBreaker Outage { get; }

    public string Store => _store.Key;

    /// <summary>
    /// Whether the store's locations stand for more than one ERP warehouse: then where Shopify routes an order's line
    /// decides the warehouse it leaves, and the order read asks for it.
    /// </summary>
    internal bool LocationsDecideWarehouse =>
        _store.Locations.Select(l => l.Warehouse.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Skip(1).Any();

    public ShopifyThrottle Throttle { get; }

    /// <summary>
    /// Runs a named query or mutation and returns its <c>data</c>. <c>estimatedCost</c> is what to wait for before the
    /// operation's first answer tells its real estimate (<see cref="ShopifyThrottle.SingleQueryMaximum"/> when not given).
    /// A query whose cost grows with a list it is given names the list's size as <c>costClass</c>: the cost learned of
    /// one size is then not taken for another (a read of 250 items estimated at what the last one of 1 cost would
    /// overdraw the bucket).
    /// </summary>
    public async Task<JsonObject> ExecuteAsync(
        string operationName, string query, JsonObject? variables = null, double? estimatedCost = null, string? costClass = null, CancellationToken cancellationToken = default)
    {
        var costKey = costClass is null ? operationName : $"{operationName}#{costClass}";
        var token = _store.AccessToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ShopifyException(Store, operationName, $"no access token ({ShopifyOptions.Section}:Stores:N:AccessToken is empty).");
        }

        ShopifyGraphQLResponse response;
        var startedAt = ConnectorTelemetry.Start();
        var reached = false; // whether the shop-down breaker let the call through (a refusal after it is the inner breaker's)
        try
        {
            response = await _outage.ExecuteAsync(
                async outer =>
                {
                    reached = true;
                    return await _pipeline.ExecuteAsync(ct => AttemptAsync(operationName, query, variables, token, costKey, estimatedCost, ct), outer);
                },
                cancellationToken);
        }
        catch (BrokenCircuitException ex)
        {
            var down = !reached;
            ConnectorTelemetry.Called(Connector, Store, operationName, down ? "store-down" : "circuit-open", startedAt);
            throw new ShopifyException(Store, operationName, down
                ? "the shop is down (every call in the last minutes failed after its retries); calls are paused."
                : "the store's API keeps failing; calls are paused (circuit open).", inner: ex) { ClientRetriesSpent = true };
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            ConnectorTelemetry.Called(Connector, Store, operationName, ex is HttpRequestException ? "network" : "timeout", startedAt);
            throw new ShopifyException(Store, operationName, ex.Message, inner: ex) { ClientRetriesSpent = true };
        }

        ConnectorTelemetry.Called(Connector, Store, operationName,
            response.Errors is { Count: > 0 } ? "graphql-error" : ConnectorTelemetry.StatusOf(response.Status), startedAt);

        if (response.Errors is { Count: > 0 } errors)
        {
            throw new ShopifyGraphQLException(Store, operationName, errors.OfType<JsonObject>().Select(e => new ShopifyGraphQLError(
                e["message"]?.GetValue<string>() ?? "",
                e["extensions"]?["code"]?.GetValue<string>(),
                e["path"] is JsonArray path ? string.Join('.', path.Select(p => p?.ToString())) : null)).ToArray(), response.Status)
            {
                ClientRetriesSpent = response.IsThrottled || response.IsServerError,
            };
        }

        if (response.Status != HttpStatusCode.OK || response.Data is null)
        {
            var what = response.Status switch
            {
                HttpStatusCode.Unauthorized => "the access token was refused (401)",
                HttpStatusCode.Forbidden => "the app lacks a scope or the shop is closed (403)",
                HttpStatusCode.NotFound => "no such shop or API version (404)",
                HttpStatusCode.PaymentRequired => "the shop is frozen for non-payment (402)",
                _ => $"HTTP {(int)response.Status}",
            };
            throw new ShopifyException(Store, operationName, response.RawError is null ? what : $"{what}: {response.RawError}", response.Status)
            {
                ClientRetriesSpent = response.IsThrottled || response.IsServerError,
            };
        }

        return response.Data;
    }

    // One attempt: waits for the bucket, sends, and gives back what the query cost.
    private async ValueTask<ShopifyGraphQLResponse> AttemptAsync(
        string operationName, string query, JsonObject? variables, string token, string costKey, double? estimatedCost, CancellationToken ct)
    {
        var (reserved, probe) = await Throttle.AcquireAsync(costKey, estimatedCost, ct);
        ShopifyGraphQLResponse? answer = null;
        try
        {
            // A retried attempt sends the same text: mutations with @idempotent keep their key.
            var http = await _api.GraphQLAsync(_store.ApiVersion, new GraphQLRequest(query, operationName, variables?.DeepClone().AsObject()), token, ct);
            answer = await ShopifyGraphQLResponse.ReadAsync(http, ct);
            return answer;
        }
        finally
        {
            Throttle.Release(reserved, costKey, answer?.Cost, probe);
        }
    }

    /// <summary>Runs a mutation and returns its payload (<c>data.{mutation}</c>), refusing it when it has <c>userErrors</c>.</summary>
    public async Task<JsonObject> MutateAsync(string operationName, string mutationField, string query, JsonObject variables, double? estimatedCost = null, CancellationToken cancellationToken = default)
    {
        var data = await ExecuteAsync(operationName, query, variables, estimatedCost, cancellationToken: cancellationToken);
        var payload = data[mutationField] as JsonObject
            ?? throw new ShopifyException(Store, operationName, $"the answer has no '{mutationField}'.");
        var errors = ShopifyUserErrorException.Read(payload);
        if (errors.Count > 0)
        {
            throw new ShopifyUserErrorException(Store, operationName, errors);
        }

        return payload;
    }

    /// <summary>
    /// Every node of a connection, page by page: the query takes <c>$first</c> and <c>$after</c> and selects
    /// <c>nodes</c> (or <c>edges { node }</c>) and <c>pageInfo { hasNextPage endCursor }</c> at <paramref name="connectionPath"/>.
    /// <paramref name="after"/> starts after a cursor an earlier answer ended on.
    /// </summary>
    public async IAsyncEnumerable<JsonObject> PagesAsync(
        string operationName, string query, string connectionPath, JsonObject? variables = null, int pageSize = 250, string? after = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var page = variables?.DeepClone().AsObject() ?? [];
            page["first"] = pageSize;
            page["after"] = after;
            var data = await ExecuteAsync(operationName, query, page, cancellationToken: cancellationToken);
            JsonNode? connection = data;
            foreach (var part in connectionPath.Split('.'))
            {
                connection = connection?[part];
            }

            if (connection is not JsonObject found)
            {
                throw new ShopifyException(Store, operationName, $"the answer has no connection at '{connectionPath}'.");
            }

            var nodes = found["nodes"] as JsonArray ?? new JsonArray([.. (found["edges"] as JsonArray ?? []).Select(e => e?["node"]?.DeepClone())]);
            foreach (var node in nodes.OfType<JsonObject>())
            {
                yield return node;
            }

            var info = found["pageInfo"];
            if (info?["hasNextPage"]?.GetValue<bool>() != true || info["endCursor"]?.GetValue<string>() is not { } cursor)
            {
                yield break;
            }

            _logger.LogDebug("Shopify {Store} {Operation}: next page after {Cursor}", Store, operationName, cursor);
            after = cursor;
        }
    }
}
