using Integration.Host.Inbox;
using Integration.Workflows.Webhooks;
using Microsoft.Extensions.Options;

namespace Integration.Host.Webhooks;

/// <summary>
/// <c>POST /webhooks/{source}[/{store}]</c>: verify, store once, then acknowledge. Nothing is processed inside the
/// request; the answer is 200 only after the inbox row is committed. A well-signed but malformed body is stored
/// as poisoned and still answered 200, so the store stops retrying and nothing is lost.
/// </summary>
internal static class WebhookIntakeApi
{
    public static IEndpointRouteBuilder MapWebhookIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/{source}/{store?}", ReceiveAsync)
            .WithTags("Webhooks")
            .WithName("ReceiveWebhook")
            .WithSummary("Receives a storefront webhook delivery (Shopify: /webhooks/shopify; WooCommerce: /webhooks/woocommerce/{store}).")
            .Produces<WebhookReceipt>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string source,
        string? store,
        HttpRequest request,
        WebhookSources sources,
        InboxWriter inbox,
        IOptions<WebhookIntakeOptions> options,
        WebhookMetrics metrics,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Integration.Host.Webhooks");
        if (!sources.TryGet(source, out var webhookSource))
        {
            return Problem(StatusCodes.Status404NotFound, "unknown-source", $"No webhook source named '{source}'.");
        }

        var maxBytes = options.Value.MaxBodyBytes;
        // Webhooks keep their own limit (Webhooks:MaxBodyBytes), above or below the host's Limits:MaxRequestBodyBytes.
        byte[]? body;
        try
        {
            body = await Integration.Workflows.Http.RequestBody.ReadAtMostAsync(request, maxBytes, options.Value.BodyReadTimeout, cancellationToken);
        }
        catch (BadHttpRequestException slow) when (slow.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            logger.LogWarning("Refused {Source} webhook for {Store}: body not received within {Timeout}", source, store, options.Value.BodyReadTimeout);
            metrics.Received(source, "too-slow");
            return Problem(StatusCodes.Status408RequestTimeout, "body-too-slow", slow.Message);
        }

        if (body is null)
        {
            logger.LogWarning("Refused {Source} webhook for {Store}: body larger than {MaxBodyBytes} bytes", source, store, maxBytes);
            metrics.Received(source, "too-large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"The body exceeds {maxBytes} bytes.");
        }

        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
        {
            // Stored headers are shown to operators; credentials a proxy or a client may add are not kept.
            if (!Integration.Workflows.Triggers.CredentialHeaders.Contains(name))
            {
                headers[name] = value.ToString();
            }
        }

        var verdict = webhookSource.Verify(new WebhookRequest(store, headers, body, request.ContentType));
        switch (verdict)
        {
            case WebhookVerdict.UnknownStore unknown:
                logger.LogWarning("Refused {Source} webhook: unknown store {Store}", source, unknown.Store);
                metrics.Received(source, "unknown-store");
                return Problem(StatusCodes.Status404NotFound, "unknown-store", $"No {source} store '{unknown.Store}' is configured.");

            case WebhookVerdict.Refused refused:
                logger.LogWarning("Refused {Source} webhook for {Store} on {Topic}: {Reason}", source, refused.Store, refused.Topic, refused.Reason);
                metrics.Received(source, "refused");
                return Problem(StatusCodes.Status401Unauthorized, "invalid-signature", "The delivery's signature could not be verified.");

            case WebhookVerdict.Ping ping:
                logger.LogInformation("{Source} store {Store} pinged its webhook ({Detail})", source, ping.Store, ping.Detail);
                metrics.Received(source, "ping");
                return Results.Ok();

            case WebhookVerdict.Accepted accepted:
                foreach (var signature in webhookSource.SignatureHeaders)
                {
                    headers.Remove(signature);
                }

                var delivery = accepted.Delivery;
                var poison = JsonPayload.Problem(body);
                long id;
                bool duplicate;
                try
                {
                    (id, duplicate) = await inbox.AddAsync(webhookSource.Name, delivery, headers, body, poison, cancellationToken);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
                {
                    // Not durable, so not acknowledged: the store retries later.
                    logger.LogError(ex, "Could not store {Source} {Topic} for {Store}; answered 503 so the store retries", source, delivery.Topic, delivery.Store);
                    metrics.Received(source, "unavailable");
                    return Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "The delivery could not be stored; retry later.");
                }

                if (duplicate)
                {
                    logger.LogInformation("Redelivered {Source} {Topic} for {Store} already stored as inbox {InboxId}", source, delivery.Topic, delivery.Store, id);
                }
                else if (poison is not null)
                {
                    logger.LogWarning("Stored poisoned {Source} delivery {InboxId} for {Store} on {Topic}: {Problem}", source, id, delivery.Store, delivery.Topic, poison);
                }
                else
                {
                    logger.LogInformation("Stored {Source} {Topic} for {Store} as inbox {InboxId}", source, delivery.Topic, delivery.Store, id);
                }

                metrics.Received(source, duplicate ? "duplicate" : poison is null ? "stored" : "poisoned");
                return Results.Ok(new WebhookReceipt(id, duplicate, poison is null ? "received" : "poisoned"));

            default:
                throw new InvalidOperationException($"Unhandled webhook verdict {verdict.GetType().Name}");
        }
    }

    private static IResult Problem(int status, string type, string detail) =>
        Results.Problem(statusCode: status, type: type, title: detail, detail: detail);
}
