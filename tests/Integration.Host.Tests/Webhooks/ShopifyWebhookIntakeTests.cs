using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Webhooks;

public sealed class ShopifyWebhookIntakeTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Signed_orders_create_posted_three_times_concurrently_is_stored_once()
    {
        var webhookId = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var receipts = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(receipts.Select(r => r.GetProperty("inboxId").GetInt64()).Distinct());
        Assert.Equal(2, receipts.Count(r => r.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Stored_delivery_keeps_raw_body_headers_and_delivery_metadata()
    {
        var webhookId = Guid.NewGuid().ToString();
        var eventId = Guid.NewGuid().ToString();
        var request = SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId, eventId: eventId);
        request.Headers.Add("Authorization", "Bearer added-by-a-proxy");
        var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();

        await using var connection = await host.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Source, string Store, string Topic, string EventId, DateTime TriggeredAt, string ApiVersion, string Status, byte[] Body, string Headers, string Subject, DateTime SubjectVersion)>(
            "SELECT source, store, topic, event_id, triggered_at, api_version, status, body, headers::text, subject, subject_version FROM integration.inbox WHERE webhook_id = @webhookId",
            new { webhookId });
        Assert.Equal("shopify", row.Source);
        Assert.Equal(HostFixture.ShopDomain, row.Store);
        Assert.Equal("orders/create", row.Topic);
        Assert.Equal(eventId, row.EventId);
        Assert.Equal(new DateTime(2026, 11, 24, 3, 59, 58, 123, DateTimeKind.Utc), row.TriggeredAt.AddTicks(-(row.TriggeredAt.Ticks % TimeSpan.TicksPerMillisecond)));
        Assert.Equal("2026-04", row.ApiVersion);
        Assert.Equal("received", row.Status);
        Assert.Equal(OrderCreated, row.Body);
        // The order and its version (updated_at 2021-12-31T19:00:00-05:00), so a reconciliation does not feed it again.
        Assert.Equal("order:820982911946154500", row.Subject);
        Assert.Equal(new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc), row.SubjectVersion);
        using var headers = JsonDocument.Parse(row.Headers);
        Assert.Equal("orders/create", headers.RootElement.GetProperty("X-Shopify-Topic").GetString());
        Assert.False(headers.RootElement.TryGetProperty("Authorization", out _));
    }

    [Fact]
    public async Task A_delivery_naming_the_shop_in_another_case_is_stored_under_the_shop_as_configured()
    {
        var webhookId = Guid.NewGuid().ToString();
        var response = await host.Client.SendAsync(
            SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain.ToUpperInvariant(), webhookId: webhookId));

        response.EnsureSuccessStatusCode();
        await using var connection = await host.OpenAsync();
        Assert.Equal(HostFixture.ShopDomain, await connection.QuerySingleAsync<string>("SELECT store FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Wrong_signature_is_refused_and_stores_nothing()
    {
        var webhookId = Guid.NewGuid().ToString();
        var forged = SignedDelivery.Shopify(OrderCreated, "not-the-secret", HostFixture.ShopDomain, webhookId: webhookId);

        var response = await host.Client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid-signature", problem.GetProperty("type").GetString());
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Body_changed_after_signing_is_refused()
    {
        var webhookId = Guid.NewGuid().ToString();
        var signature = SignedDelivery.Sign(OrderCreated, HostFixture.ShopSecret);
        var tampered = OrderCreated.ToArray();
        tampered[Array.IndexOf(tampered, (byte)'9')] = (byte)'8';

        var response = await host.Client.SendAsync(
            SignedDelivery.Shopify(tampered, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId, signature: signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Missing_signature_is_refused()
    {
        var request = SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain);
        request.Headers.Remove("X-Shopify-Hmac-Sha256");

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_shop_is_not_found()
    {
        var response = await host.Client.SendAsync(
            SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, "someone-else.myshopify.com"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknown-store", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task One_merchant_action_on_two_topics_is_two_deliveries()
    {
        // Shopify shares X-Shopify-Event-Id across the topics of one save; only the webhook id names a delivery.
        var eventId = Guid.NewGuid().ToString();
        foreach (var topic in new[] { "orders/updated", "orders/paid" })
        {
            var response = await host.Client.SendAsync(
                SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, topic: topic, eventId: eventId));
            response.EnsureSuccessStatusCode();
        }

        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE event_id = @eventId", new { eventId }));
    }

    [Fact]
    public async Task Malformed_json_with_a_valid_signature_is_stored_as_poisoned_and_acknowledged()
    {
        var webhookId = Guid.NewGuid().ToString();
        var broken = Encoding.UTF8.GetBytes("{\"id\": 820982911946154508, \"line_items\": [");

        var response = await host.Client.SendAsync(
            SignedDelivery.Shopify(broken, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var connection = await host.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Status, string Error, byte[] Body)>(
            "SELECT status, error, body FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId });
        Assert.Equal("poisoned", row.Status);
        Assert.StartsWith("malformed JSON", row.Error, StringComparison.Ordinal);
        Assert.Equal(broken, row.Body);
    }

    [Fact]
    public async Task Body_over_the_configured_limit_is_refused_with_413()
    {
        var large = Encoding.UTF8.GetBytes("{\"note\":\"" + new string('x', HostFixture.MaxBodyBytes) + "\"}");

        var response = await host.Client.SendAsync(SignedDelivery.Shopify(large, HostFixture.ShopSecret, HostFixture.ShopDomain));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Delivery_signed_with_the_previous_secret_is_accepted_during_rotation()
    {
        var oldSigned = await host.Client.SendAsync(
            SignedDelivery.Shopify(OrderCreated, HostFixture.RotatedShopOldSecret, HostFixture.RotatedShopDomain));
        var newSigned = await host.Client.SendAsync(
            SignedDelivery.Shopify(OrderCreated, HostFixture.RotatedShopSecret, HostFixture.RotatedShopDomain));
        var otherShopsSecret = await host.Client.SendAsync(
            SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.RotatedShopDomain));

        Assert.Equal(HttpStatusCode.OK, oldSigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newSigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherShopsSecret.StatusCode);
    }

    [Fact]
    public async Task Unprefixed_event_headers_are_accepted()
    {
        var webhookId = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = new ByteArrayContent(OrderCreated) };
        request.Headers.Add("Shopify-Topic", "orders/create");
        request.Headers.Add("Shopify-Hmac-Sha256", SignedDelivery.Sign(OrderCreated, HostFixture.ShopSecret));
        request.Headers.Add("Shopify-Shop-Domain", HostFixture.ShopDomain);
        request.Headers.Add("Shopify-Webhook-Id", webhookId);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }
}
