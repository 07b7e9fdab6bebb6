namespace Integration.Workflows.Webhooks;

/// <summary>
/// A system that delivers webhooks (a storefront). It picks the store a delivery is for, verifies its
/// signature and names the delivery so the host can store it once. It must not do I/O: it runs inside
/// the HTTP request, before the delivery is durable.
/// </summary>
public interface IWebhookSource
{
    /// <summary>Route segment and inbox <c>source</c> value, e.g. <c>shopify</c>.</summary>
    string Name { get; }

    /// <summary>Checks one delivery and tells the host what to do with it.</summary>
    WebhookVerdict Verify(WebhookRequest request);

    /// <summary>
    /// The headers that carry a delivery's signature. They are not stored once it is verified: the signature covers the
    /// body only, so anyone who read both could send the body again under another topic.
    /// </summary>
    IReadOnlyCollection<string> SignatureHeaders { get; }
}
