using System.Text.Json;
using Integration.Simulators.Shopify;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The real host serving the shipped flows and mappings for one Shopify store, over a database of its own, with
/// the ERP items the test orders sell in stock. The store is the Shopify simulator: it holds the orders the flows
/// read back and signs the webhooks it sends to <c>POST /webhooks/shopify</c>.
/// </summary>
public class ShopifyStoreHost : TestHost
{
    public ShopifySimulator Shopify { get; }

    public ShopifyStoreHost()
        : this(ShopifyPlan.Advanced)
    {
    }

    protected ShopifyStoreHost(ShopifyPlan plan) =>
        Shopify = new(new ShopifySimulatorOptions { ShopDomain = ShopDomain, AppSecret = Secret, Plan = plan });

    public const string ShopDomain = "cairo-fashion.myshopify.com";
    public const string Secret = "shpss_e2e";
    public const string Store = "cairo-fashion";
    public const string GuestCustomer = "WALK-IN";
    public const string WebhookUrl = "https://integration.example.com/webhooks/shopify";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Flows:DispatchInbox", "true"),
        new("Flows:Schedules", "true"),
        new("Connectors:Shopify:WebhookUrl", WebhookUrl),
        new("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain),
        new("Connectors:Shopify:Stores:0:Name", Store),
        new("Connectors:Shopify:Stores:0:AppSecret", Secret),
        new("Connectors:Shopify:Stores:0:AdminUrl", Shopify.AdminUrl),
        new("Connectors:Shopify:Stores:0:AccessToken", Shopify.Options.AccessToken),
        new("Connectors:Shopify:Stores:0:GuestCustomer", GuestCustomer),
        new("Connectors:Shopify:Stores:0:PaymentAccounts:shopify_payments", "1130"),
        new("Connectors:Shopify:Stores:0:PaymentAccounts:Cash on Delivery (COD)", "1140"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // The hourly and nightly uploads, if the real clock let them fire mid-test, would push prices and stock a test
        // is about to push, and add runs it counts; tests fire them by hand (RunScheduleAsync).
        foreach (var schedule in (string[])["shopify-prices/every15Minutes", "shopify-prices/nightly", "shopify-stock-push/nightly"])
        {
            await PauseScheduleAsync(schedule);
        }

        await SeedAsync();
        // Tests put orders in the store before its webhooks arrive: the 15-minute reconciliation, if the real clock let
        // it fire then, would book them first. Tests of the reconciliation fire it by hand (RunScheduleAsync).
        await PauseScheduleAsync("shopify-reconcile-orders/every15Minutes");
    }

    /// <summary>What the ERP holds before the tests: the guest customer and three items in stock.</summary>
    protected virtual Task SeedAsync() => StoreErpSetup.SeedAsync(this, GuestCustomer);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Shopify.Dispose();
    }

    /// <summary>The order is now so in the store (created, edited, paid, cancelled), and the store sends the webhook of it.</summary>
    public Task<string> OrderEventAsync(string topic, string order)
    {
        Shopify.State.AddOrder(order);
        return DeliverAsync(topic, order);
    }

    /// <summary>The store sends one signed delivery; waits until the host has dealt with it (done, ignored or failed).</summary>
    public async Task<string> DeliverAsync(string topic, string body)
    {
        var webhookId = (await Shopify.Webhooks.SendAsync(topic, body, "/webhooks/shopify", Client)).WebhookId;
        Assert.Contains(Shopify.Webhooks.Attempts, a => a.WebhookId == webhookId && a.Status == System.Net.HttpStatusCode.OK);
        // Generous: on a loaded 2-core machine fifty deliveries at once take a while; the test asserts the outcome, not speed.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = await OpenAsync();
            var status = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                "SELECT status FROM integration.inbox WHERE source = 'shopify' AND webhook_id = @webhookId", new { webhookId });
            if (status is "done" or "superseded" or "ignored" or "failed")
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Delivery {webhookId} ({topic}) was not processed");
    }

    /// <summary>The runs of the order flow for one Shopify order, newest first.</summary>
    public Task<IReadOnlyList<JsonElement>> OrderRunsAsync(long orderId) => RunsAsync($"shopify:{Store}:order:{orderId}");

    /// <summary>The runs with a correlation id, in full (journal, output), newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string correlationId)
    {
        var details = new List<JsonElement>();
        foreach (var run in (await GetJsonAsync($"/api/runs?correlationId={Uri.EscapeDataString(correlationId)}")).EnumerateArray())
        {
            details.Add(await GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}"));
        }

        return details;
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30) => EventuallyAsync(() => Task.FromResult(condition()), what, seconds);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        for (var i = 0; i < seconds * 10; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what}");
    }

    protected static Task Ok(Task<(System.Net.HttpStatusCode Status, JsonElement Body)> call) => StoreErpSetup.Ok(call);
}
