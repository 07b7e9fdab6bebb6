namespace Integration.Workflows.Webhooks;

/// <summary>What a <see cref="IWebhookSource"/> decided about one delivery.</summary>
public abstract record WebhookVerdict
{
    private WebhookVerdict()
    {
    }

    /// <summary>Signature valid: store the delivery once, keyed by <see cref="WebhookDelivery.DeliveryKey"/>.</summary>
    public sealed record Accepted(WebhookDelivery Delivery) : WebhookVerdict;

    /// <summary>A handshake from the store (e.g. WooCommerce's creation ping): answer 200, store nothing.</summary>
    public sealed record Ping(string Store, string Detail) : WebhookVerdict;

    /// <summary>Bad or missing signature: answer 401, store nothing.</summary>
    public sealed record Refused(string Store, string? Topic, string Reason) : WebhookVerdict;

    /// <summary>No configured store matches: answer 404, store nothing.</summary>
    public sealed record UnknownStore(string? Store) : WebhookVerdict;
}
