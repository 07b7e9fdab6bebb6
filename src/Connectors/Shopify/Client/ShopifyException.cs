using System.Net;
using Integration.Workflows.Execution;

namespace Integration.Connectors.Shopify.Client;

/// <summary>A call to a store's Admin API failed; the store and the operation are in the message.</summary>
public class ShopifyException(string store, string operation, string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception($"Shopify {store} {operation}: {message}", inner), ITransientFailure
{
    public string Store { get; } = store;

    public string Operation { get; } = operation;

    /// <summary>The HTTP status of the last answer, when there was one.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>Throttled, a server error, or no answer at all: the store may take it later.</summary>
    public virtual bool IsTransient => TransientFailures.OfHttp((int?)Status, InnerException);

    /// <summary>Thrown after the client's retries (or by its paused breaker): set by the client, see <see cref="ITransientFailure.ClientRetriesSpent"/>.</summary>
    public bool ClientRetriesSpent { get; init; }
}
