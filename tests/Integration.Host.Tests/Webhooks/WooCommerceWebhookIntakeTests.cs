using System.Net;
using System.Text;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Webhooks;

public sealed class WooCommerceWebhookIntakeTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly byte[] DocsOrder = RepoPaths.Fixture("woocommerce/order-created.wc-rest-docs-v3.json");
    private static readonly byte[] RealStoreOrder = RepoPaths.Fixture("woocommerce/order-created.frappe-ecommerce-integrations-test.json");

    [Fact]
    public async Task Creation_ping_is_answered_200_and_stores_nothing()
    {
        var before = await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce'");
        var ping = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/woocommerce/{HostFixture.WooStore}")
        {
            Content = new StringContent("webhook_id=17", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var response = await host.Client.SendAsync(ping);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce'"));
    }

    [Fact]
    public async Task Signed_delivery_is_stored_and_a_redelivery_with_a_new_delivery_id_is_not()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];
        var first = await host.Client.SendAsync(SignedDelivery.WooCommerce(RealStoreOrder, HostFixture.WooSecret, HostFixture.WooStore, webhookId: webhookId));
        var again = await host.Client.SendAsync(SignedDelivery.WooCommerce(RealStoreOrder, HostFixture.WooSecret, HostFixture.WooStore, webhookId: webhookId));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND store = @store AND webhook_id = @webhookId AND topic = 'order.created'",
            new { store = HostFixture.WooStore, webhookId }));
        // The order and its version (date_modified_gmt, which is UTC), so a reconciliation does not feed it again.
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId AND subject = 'order:205' AND subject_version = '2021-11-30T07:32:11Z'",
            new { webhookId }));
        // Its topic is kept, its signature is not (the body and the signature would let a reader send it as another topic).
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId AND headers ? 'X-WC-Webhook-Topic' AND NOT headers ? 'X-WC-Webhook-Signature'",
            new { webhookId }));
    }

    [Fact]
    public async Task Same_order_with_a_changed_body_is_a_new_delivery()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(DocsOrder).Replace("\"processing\"", "\"completed\"", StringComparison.Ordinal));

        await host.Client.SendAsync(SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooSecret, HostFixture.WooStore, topic: "order.updated", webhookId: webhookId));
        await host.Client.SendAsync(SignedDelivery.WooCommerce(changed, HostFixture.WooSecret, HostFixture.WooStore, topic: "order.updated", webhookId: webhookId));

        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Bad_signature_is_refused_and_stores_nothing()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];

        var response = await host.Client.SendAsync(SignedDelivery.WooCommerce(DocsOrder, "wrong", HostFixture.WooStore, webhookId: webhookId));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task A_delivery_signed_with_the_secret_before_a_rotation_is_taken_while_it_is_listed_as_previous()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];

        var response = await host.Client.SendAsync(SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooOldSecret, HostFixture.WooStore, webhookId: webhookId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task Unsigned_json_is_refused_not_mistaken_for_a_ping()
    {
        var request = SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooSecret, HostFixture.WooStore);
        request.Headers.Remove("X-WC-Webhook-Signature");

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_with_a_valid_signature_is_stored_as_poisoned_for_an_operator_and_acknowledged()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];
        var broken = Encoding.UTF8.GetBytes("{\"id\":727,\"line_items\":[");

        var response = await host.Client.SendAsync(SignedDelivery.WooCommerce(broken, HostFixture.WooSecret, HostFixture.WooStore, webhookId: webhookId));

        // 200, so WooCommerce does not count a failure against the webhook (it disables it after five); nothing is lost.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var connection = await host.OpenAsync();
        var row = await Dapper.SqlMapper.QuerySingleAsync<(string Status, string Error, byte[] Body)>(connection,
            "SELECT status, error, body FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId });
        Assert.Equal("poisoned", row.Status);
        Assert.StartsWith("malformed JSON", row.Error, StringComparison.Ordinal);
        Assert.Equal(broken, row.Body);
        var listed = await host.GetJsonAsync("/api/inbox?source=woocommerce&status=poisoned");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), i => i.GetProperty("webhookId").GetString() == webhookId);
    }

    [Fact]
    public async Task Unknown_store_is_not_found()
    {
        var response = await host.Client.SendAsync(SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooSecret, "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Secret_with_html_entities_is_decoded_as_WordPress_does_before_verifying()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];

        var response = await host.Client.SendAsync(
            SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooEntitySecretAsSigned, HostFixture.WooEntityStore, webhookId: webhookId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }

    [Fact]
    public async Task A_delivery_to_the_store_spelled_in_another_case_is_stored_under_its_configured_name()
    {
        var webhookId = "web-" + Guid.NewGuid().ToString("N")[..8];

        var response = await host.Client.SendAsync(SignedDelivery.WooCommerce(DocsOrder, HostFixture.WooSecret, HostFixture.WooStore.ToUpperInvariant(), webhookId: webhookId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HostFixture.WooStore, await host.ScalarAsync<string>("SELECT store FROM integration.inbox WHERE webhook_id = @webhookId", new { webhookId }));
    }
}
