using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Inbox;

public sealed class InboxApiTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly byte[] Refund = RepoPaths.Fixture("shopify/refunds-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Listing_filters_by_source_status_and_topic_and_pages_newest_first()
    {
        // This test owns the second shop, so other tests' deliveries do not show up in its listing.
        const string shop = HostFixture.RotatedShopDomain;
        const string secret = HostFixture.RotatedShopSecret;
        for (var i = 0; i < 5; i++)
        {
            (await host.Client.SendAsync(SignedDelivery.Shopify(Refund, secret, shop, topic: "refunds/create"))).EnsureSuccessStatusCode();
        }

        (await host.Client.SendAsync(SignedDelivery.Shopify(Refund, secret, shop, topic: "orders/paid"))).EnsureSuccessStatusCode();
        (await host.Client.SendAsync(SignedDelivery.Shopify(Encoding.UTF8.GetBytes("not json"), secret, shop, topic: "refunds/create")))
            .EnsureSuccessStatusCode();

        var first = await host.Client.GetFromJsonAsync<JsonElement>($"/api/inbox?source=shopify&store={shop}&topic=refunds/create&status=received&limit=3");
        var firstItems = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, firstItems.Count);
        Assert.All(firstItems, item => Assert.Equal("refunds/create", item.GetProperty("topic").GetString()));
        var ids = firstItems.Select(item => item.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);

        var next = first.GetProperty("next").GetInt64();
        var second = await host.Client.GetFromJsonAsync<JsonElement>($"/api/inbox?source=shopify&store={shop}&topic=refunds/create&status=received&limit=3&cursor={next}");
        var secondIds = second.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, secondIds.Count);
        Assert.True(secondIds.Max() < ids.Min());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var poisoned = await host.Client.GetFromJsonAsync<JsonElement>($"/api/inbox?store={shop}&status=poisoned");
        var poisonedItem = Assert.Single(poisoned.GetProperty("items").EnumerateArray());
        Assert.StartsWith("malformed JSON", poisonedItem.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_delivery_shows_its_payload_with_exact_64_bit_ids_and_its_headers()
    {
        var response = await host.Client.SendAsync(SignedDelivery.Shopify(Refund, HostFixture.ShopSecret, HostFixture.ShopDomain, topic: "refunds/create"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inboxId").GetInt64();

        var detail = await host.Client.GetFromJsonAsync<JsonElement>($"/api/inbox/{id}");

        Assert.Equal("refunds/create", detail.GetProperty("entry").GetProperty("topic").GetString());
        Assert.Equal(HostFixture.ShopDomain, detail.GetProperty("headers").GetProperty("X-Shopify-Shop-Domain").GetString());
        // Not its signature: with the body it would let a reader send the body again under another topic.
        Assert.DoesNotContain(detail.GetProperty("headers").EnumerateObject(), h => h.Name.Contains("Hmac", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE id = @id AND headers::text ILIKE '%hmac%'", new { id }));
        // The docs payload's id was rounded by a JavaScript scraper; we keep what was sent, as a long.
        Assert.Equal(890088186047892400L, detail.GetProperty("payload").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Every_delivery_of_one_order_is_found_by_its_subject_with_the_version_each_carried()
    {
        var orderId = Random.Shared.NextInt64(1_000_000_000_000, 9_000_000_000_000);
        byte[] Order(long id, string updatedAt) => Encoding.UTF8.GetBytes($$"""{"id":{{id}},"updated_at":"{{updatedAt}}","financial_status":"paid"}""");
        foreach (var (id, topic, at) in new[] { (orderId, "orders/create", "2026-11-30T10:00:00+02:00"), (orderId, "orders/updated", "2026-11-30T10:05:00+02:00"), (orderId + 1, "orders/create", "2026-11-30T10:00:00+02:00") })
        {
            (await host.Client.SendAsync(SignedDelivery.Shopify(Order(id, at), HostFixture.ShopSecret, HostFixture.ShopDomain, topic: topic))).EnsureSuccessStatusCode();
        }

        var page = await host.Client.GetFromJsonAsync<JsonElement>($"/api/inbox?subject=order:{orderId}");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["orders/updated", "orders/create"], items.Select(i => i.GetProperty("topic").GetString()));
        Assert.All(items, i => Assert.Equal($"order:{orderId}", i.GetProperty("subject").GetString()));
        Assert.Equal(
            [new DateTimeOffset(2026, 11, 30, 8, 5, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)],
            items.Select(i => i.GetProperty("subjectVersion").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Unknown_delivery_and_unknown_status_are_clear_errors()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/inbox/999999999")).StatusCode);
        var bad = await host.Client.GetAsync("/api/inbox?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("unknown-status", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }
}
