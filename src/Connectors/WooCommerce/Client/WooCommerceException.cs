using System.Net;
using Integration.Workflows.Execution;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// A call to a store's REST API failed. <see cref="Code"/> is WooCommerce's error code (e.g.
/// <c>woocommerce_rest_authentication_error</c>, <c>woocommerce_rest_shop_order_invalid_id</c>) when it sent one.
/// </summary>
public class WooCommerceException(string store, string operation, string message, HttpStatusCode? status = null, string? code = null, Exception? inner = null)
    : Exception($"WooCommerce {store} {operation}: {message}", inner), ITransientFailure
{
    public string Store { get; } = store;

    public string Operation { get; } = operation;

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>WooCommerce's error code, when the answer carried one.</summary>
    public string? Code { get; } = code;

    /// <summary>Throttled, a server error, or no answer at all: the store may take it later.</summary>
    public bool IsTransient => TransientFailures.OfHttp((int?)Status, InnerException);

    /// <summary>Thrown after the client's retries (or by its paused breaker): set by the client, see <see cref="ITransientFailure.ClientRetriesSpent"/>.</summary>
    public bool ClientRetriesSpent { get; init; }
}
