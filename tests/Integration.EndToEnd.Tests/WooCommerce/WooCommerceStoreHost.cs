using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integration.Connectors.WooCommerce.Connect;
using Integration.Simulators.WooCommerce;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// The real host serving the shipped flows and mappings for one WooCommerce store, over a database of its own, with the
/// ERP items the test orders sell in stock. The store is the WooCommerce simulator: the host connects to it as
/// <c>woocommerce connect</c> does (its webhooks are created and pinged through the host), it holds the orders and
/// customers the flows read back, and it signs the webhooks it sends to <c>POST /webhooks/woocommerce/{store}</c>.
/// </summary>
public class WooCommerceStoreHost : TestHost
{
    public const string Store = "cairo-woo";
    public const string Secret = "wc_e2e_secret";
    public const string GuestCustomer = "WALK-IN";
    public const string WebhookUrl = "https://integration.example.com/webhooks/woocommerce";

    public WooCommerceSimulator Woo { get; } = new(new WooCommerceSimulatorOptions { Currency = "EGP", SiteUrl = "https://cairo-woo.example" });

    /// <summary>What connecting the store did (its webhooks, created and pinged).</summary>
    public WooCommerceConnectResult Connected { get; private set; } = null!;

    /// <summary>Whether this host runs the flows' schedules (off by default: a timer firing mid-test would add runs).</summary>
    protected virtual bool Schedules => false;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Flows:DispatchInbox", "true"),
        new("Flows:Schedules", Schedules ? "true" : "false"),
        new("Connectors:WooCommerce:WebhookUrl", WebhookUrl),
        new("Connectors:WooCommerce:Stores:0:Name", Store),
        new("Connectors:WooCommerce:Stores:0:BaseUrl", Woo.BaseUrl),
        new("Connectors:WooCommerce:Stores:0:ConsumerKey", Woo.Options.ConsumerKey),
        new("Connectors:WooCommerce:Stores:0:ConsumerSecret", Woo.Options.ConsumerSecret),
        new("Connectors:WooCommerce:Stores:0:WebhookSecret", Secret),
        new("Connectors:WooCommerce:Stores:0:GuestCustomer", GuestCustomer),
        new("Connectors:WooCommerce:Stores:0:RequestsPerSecond", "200"),
        new("Connectors:WooCommerce:Stores:0:PaymentAccounts:paymob", "1130"),
        new("Connectors:WooCommerce:Stores:0:PaymentAccounts:cod", "1140"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The store reaches the host's webhook URL through the in-memory test server.
        Woo.Webhooks.Target = Client;
        if (Schedules)
        {
            // The hourly and nightly uploads, if the real clock (or a test's, moved by days) let them fire mid-test,
            // would push prices and stock a test is about to push; tests fire them by hand (RunScheduleAsync).
            foreach (var schedule in (string[])["woocommerce-prices/every15Minutes", "woocommerce-prices/nightly", "woocommerce-stock-push/nightly"])
            {
                await PauseScheduleAsync(schedule);
            }
        }

        await SeedAsync();
        Connected = await Services.GetRequiredService<WooCommerceConnection>().ConnectAsync(Store, null, CancellationToken.None);
    }

    /// <summary>What the ERP holds before the tests: the guest customer and three items in stock.</summary>
    protected virtual Task SeedAsync() => StoreErpSetup.SeedAsync(this, GuestCustomer);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Woo.Dispose();
    }

    /// <summary>The order (and its customer) is now so in the store; the store sends <paramref name="topic"/> for it, <paramref name="copies"/> times.</summary>
    public async Task<IReadOnlyList<string>> OrderEventAsync(string topic, WooOrderPayload order, Action<System.Text.Json.Nodes.JsonObject>? edit = null, int copies = 1)
    {
        if (!order.Guest)
        {
            Woo.State.PutCustomer(order.Customer());
        }

        var json = order.Order();
        edit?.Invoke(json);
        Woo.State.PutOrder(json);
        return await WaitAsync(await Woo.Webhooks.TriggerAsync(topic, order.Id, copies));
    }

    /// <summary>The store sends a given body (an older snapshot of the order) on its <paramref name="topic"/> webhook.</summary>
    public async Task<string> SendAsync(string topic, string body)
    {
        var webhook = Woo.State.Webhooks.Single(w => w.Topic == topic && w.DeliveryUrl.EndsWith("/" + Store, StringComparison.Ordinal));
        return (await WaitAsync([await Woo.Webhooks.SendAsync(webhook, body)])).Single();
    }

    /// <summary>
    /// Copies of one order version: each run by the order flow (<c>done</c>) or, when it came after a finished run of that
    /// version, <c>superseded</c>; copies taken at the same time by two dispatcher loops both run.
    /// </summary>
    public static void AssertRunAtLeastOnce(IReadOnlyList<string> statuses)
    {
        Assert.Contains("done", statuses);
        Assert.All(statuses, status => Assert.True(status is "done" or "superseded", status));
    }

    /// <summary>Waits until the host has dealt with each delivery (done, superseded, ignored or failed) and returns the statuses.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(IReadOnlyList<SimulatedWooDelivery> deliveries)
    {
        Assert.NotEmpty(deliveries);
        var statuses = new List<string>();
        foreach (var delivery in deliveries)
        {
            Assert.Equal(HttpStatusCode.OK, delivery.Status);
            var key = delivery.WebhookId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(delivery.Body)));
            string? status = null;
            for (var i = 0; i < 600 && status is not ("done" or "superseded" or "ignored" or "failed"); i++)
            {
                await using var connection = await OpenAsync();
                status = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                    // A body without a version is keyed by its delivery too (WooCommerceWebhookSource).
                    "SELECT status FROM integration.inbox WHERE source = 'woocommerce' AND delivery_key IN (@key, @key || ':' || @DeliveryId)", new { key, delivery.DeliveryId });
                if (status is not ("done" or "superseded" or "ignored" or "failed"))
                {
                    await Task.Delay(100);
                }
            }

            statuses.Add(status ?? throw new TimeoutException($"Delivery {key} ({delivery.Topic}) was not processed"));
        }

        return statuses;
    }

    /// <summary>The runs of the order flow for one WooCommerce order (full details), newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> OrderRunsAsync(long orderId)
    {
        var details = new List<JsonElement>();
        var correlation = Uri.EscapeDataString($"woocommerce:{Store}:order:{orderId}");
        foreach (var run in (await GetJsonAsync($"/api/runs?correlationId={correlation}")).EnumerateArray())
        {
            details.Add(await GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}"));
        }

        return details;
    }

    protected static Task Ok(Task<(HttpStatusCode Status, JsonElement Body)> call) => StoreErpSetup.Ok(call);
}
