using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Simulators.WooCommerce;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Connectors.WooCommerce.Tests.Simulator;

/// <summary>The simulator behaves as WooCommerce does where the connector's correctness depends on it.</summary>
public sealed class WooCommerceSimulatorTests : IDisposable
{
    private readonly WooCommerceSimulator _store = new(new WooCommerceSimulatorOptions { BatchLimit = 100, MaxDeliveryFailures = 5 });
    private readonly WireMockServer _receiver = WireMockServer.Start();
    private readonly HttpClient _http = new();

    private HttpRequestMessage Api(HttpMethod method, string path, string? body = null)
    {
        var request = new HttpRequestMessage(method, _store.BaseUrl + "/wp-json/wc/v3/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ck_simulator:cs_simulator")));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    [Fact]
    public async Task More_than_100_objects_in_a_batch_is_a_413_and_nothing_is_written()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["name"] = $"P{i}", ["sku"] = $"P-{i}" })]);

        using var response = await _http.SendAsync(Api(HttpMethod.Post, "products/batch", new JsonObject { ["create"] = items }.ToJsonString()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("rest_request_entity_too_large", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
        Assert.Empty(_store.State.Products);
    }

    [Fact]
    public async Task A_page_size_above_100_is_refused_and_pages_carry_their_totals()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.State.PutCustomer(new JsonObject { ["email"] = $"c{i}@example.com" });
        }

        using var tooBig = await _http.SendAsync(Api(HttpMethod.Get, "customers?per_page=101"));
        using var page = await _http.SendAsync(Api(HttpMethod.Get, "customers?per_page=2&page=2"));

        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Equal("5", page.Headers.GetValues("X-WP-Total").Single());
        Assert.Equal("3", page.Headers.GetValues("X-WP-TotalPages").Single());
        Assert.Contains("rel=\"next\"", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(await page.Content.ReadAsStringAsync())!.AsArray().Count);
    }

    [Fact]
    public async Task Webhooks_are_signed_with_their_secret_and_carry_the_order_as_it_is_when_delivered()
    {
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var webhook = _store.State.AddWebhook("order.updated", _receiver.Url + "/hooks/cairo", "s3cr&amp;t");
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending", ["note"] = "a/b" });
        _store.State.SetOrderStatus(id, "processing"); // changed again before the delivery went out

        await _store.Webhooks.TriggerAsync("order.updated", id);

        var sent = Assert.Single(_receiver.LogEntries).RequestMessage;
        Assert.Contains("\"status\":\"processing\"", sent.Body, StringComparison.Ordinal);
        Assert.Contains("a\\/b", sent.Body, StringComparison.Ordinal); // wp_json_encode escapes slashes
        Assert.Equal(WooCommerceWebhookSender.Sign(sent.Body!, "s3cr&t"), sent.Headers!["X-WC-Webhook-Signature"].Single());
        Assert.Equal(webhook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Headers["X-WC-Webhook-ID"].Single());
        Assert.Equal("order.updated", sent.Headers["X-WC-Webhook-Topic"].Single());
        Assert.NotEmpty(sent.Headers["X-WC-Webhook-Delivery-ID"].Single());
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_disabled_after_the_fifth_failure_and_never_retried()
    {
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(500));
        var webhook = _store.State.AddWebhook("order.created", _receiver.Url + "/hooks/cairo", "hush");
        var id = _store.State.PutOrder(new JsonObject { ["status"] = "pending" });

        for (var i = 0; i < 7; i++)
        {
            await _store.Webhooks.TriggerAsync("order.created", id);
        }

        Assert.Equal("disabled", _store.State.Webhooks.Single(w => w.Id == webhook.Id).Status);
        Assert.Equal(6, _receiver.LogEntries.Count); // one attempt per event; nothing after it was disabled
    }

    [Fact]
    public async Task A_new_webhook_is_pinged_with_a_form_body_and_no_signature()
    {
        _receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));

        using var response = await _http.SendAsync(Api(HttpMethod.Post, "webhooks",
            new JsonObject { ["topic"] = "order.created", ["delivery_url"] = _receiver.Url + "/hooks/cairo", ["secret"] = "hush" }.ToJsonString()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var ping = Assert.Single(_receiver.LogEntries).RequestMessage;
        Assert.Equal("webhook_id=" + (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!, ping.Body);
        Assert.False(ping.Headers!.ContainsKey("X-WC-Webhook-Signature"));
    }

    public void Dispose()
    {
        _store.Dispose();
        _receiver.Stop();
        _receiver.Dispose();
        _http.Dispose();
    }
}
