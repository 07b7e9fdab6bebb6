using System.Net;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Connect;
using Integration.Simulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests.Connect;

public sealed class WooCommerceConnectionTests : IDisposable
{
    private const string HookRoot = "https://integration.example.com/webhooks/woocommerce";
    private const string Hook = HookRoot + "/cairo";
    private readonly WooCommerceSimulator _store = new(new WooCommerceSimulatorOptions { Currency = "EGP", SiteUrl = "https://cairo-shop.example" });

    private static async Task<WooCommerceConnectResult> ConnectAsync(ServiceProvider services) =>
        await services.GetRequiredService<WooCommerceConnection>().ConnectAsync(WooCommerceRuntime.Store, new Uri(HookRoot), CancellationToken.None);

    [Fact]
    public async Task Connect_reads_the_store_and_creates_each_webhook_once_pinging_each()
    {
        using var services = WooCommerceRuntime.For(_store);

        var first = await ConnectAsync(services);
        var second = await ConnectAsync(services);

        Assert.Equal("EGP", first.Facts.Currency);
        Assert.Equal("https://cairo-shop.example", first.Facts.SiteUrl);
        Assert.Equal(2, first.Facts.Decimals);
        Assert.Equal(WooCommerceConnection.Topics, first.Created);
        Assert.Empty(second.Created);
        Assert.Equal(WooCommerceConnection.Topics, second.Present);
        var webhooks = _store.State.Webhooks;
        Assert.Equal(6, webhooks.Count);
        Assert.All(webhooks, w => Assert.Equal((Hook, "hush", "active"), (w.DeliveryUrl, w.Secret, w.Status)));
        // WooCommerce pinged each new webhook (integration.example.com is not reachable from here: the ping failed, harmlessly).
        Assert.Equal(6, _store.Webhooks.Attempts.Count(a => a.Topic == "action.ping"));
    }

    [Fact]
    public async Task A_webhook_WooCommerce_disabled_is_enabled_again_and_a_duplicate_deleted()
    {
        var disabled = _store.State.AddWebhook("order.updated", Hook, "old-secret", status: "disabled");
        // Active, but signing with the secret before a rotation: it gets the one the host verifies.
        var rotated = _store.State.AddWebhook("order.created", Hook, "old-secret");
        _store.State.AddWebhook("order.created", Hook, "hush");
        var foreign = _store.State.AddWebhook("order.created", "https://erp-other.example/hooks", "theirs");
        using var services = WooCommerceRuntime.For(_store);

        var result = await ConnectAsync(services);

        Assert.Equal(["order.updated"], result.Reactivated);
        Assert.Equal(["order.deleted", "order.restored", "customer.created", "customer.updated"], result.Created);
        Assert.Equal(1, result.DuplicatesRemoved);
        var now = _store.State.Webhooks;
        var updated = Assert.Single(now, w => w.Id == disabled.Id);
        Assert.Equal(("active", "hush"), (updated.Status, updated.Secret));
        var kept = Assert.Single(now, w => w.Topic == "order.created" && w.DeliveryUrl == Hook);
        Assert.Equal((rotated.Id, "active", "hush"), (kept.Id, kept.Status, kept.Secret));
        Assert.Contains(now, w => w.Id == foreign.Id); // not ours: left alone
    }

    [Fact]
    public async Task A_refused_key_fails_before_any_webhook_is_touched()
    {
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Stores:0:ConsumerKey"] = "ck_wrong" });

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => ConnectAsync(services));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Empty(_store.State.Webhooks);
    }

    public void Dispose() => _store.Dispose();
}
