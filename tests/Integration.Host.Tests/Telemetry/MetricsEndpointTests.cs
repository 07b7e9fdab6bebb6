using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Integration.Testing;
using Integration.Testing.Webhooks;

namespace Integration.Host.Tests.Telemetry;

public sealed partial class MetricsEndpointTests(HostFixture host) : IClassFixture<HostFixture>
{
    private static readonly byte[] OrderCreated = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

    [Fact]
    public async Task Webhook_outcomes_and_flow_runs_are_counted_on_the_prometheus_endpoint()
    {
        var before = await ScrapeAsync();
        var webhookId = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, HostFixture.ShopSecret, HostFixture.ShopDomain, webhookId: webhookId))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(SignedDelivery.Shopify(OrderCreated, "not-the-secret", HostFixture.ShopDomain))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/workflows/hello-world")).StatusCode);

        var after = await ScrapeAsync();

        Assert.True(Count(after, "integration_webhooks_deliveries_total", "outcome=\"stored\"", "source=\"shopify\"") >= Count(before, "integration_webhooks_deliveries_total", "outcome=\"stored\"", "source=\"shopify\"") + 1);
        Assert.True(Count(after, "integration_webhooks_deliveries_total", "outcome=\"duplicate\"", "source=\"shopify\"") >= Count(before, "integration_webhooks_deliveries_total", "outcome=\"duplicate\"", "source=\"shopify\"") + 1);
        Assert.True(Count(after, "integration_webhooks_deliveries_total", "outcome=\"refused\"", "source=\"shopify\"") >= Count(before, "integration_webhooks_deliveries_total", "outcome=\"refused\"", "source=\"shopify\"") + 1);
        Assert.True(Count(after, "integration_flows_runs_total", "flow=\"http-hello-world\"", "status=\"Finished\"") >= Count(before, "integration_flows_runs_total", "flow=\"http-hello-world\"", "status=\"Finished\"") + 1);
        Assert.Contains("integration_flows_run_duration_seconds_bucket", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runtimes_own_figures_are_exported_so_an_operator_sees_jit_gc_and_processor_time()
    {
        var scrape = await ScrapeAsync();

        Assert.True(Count(scrape, "dotnet_process_cpu_time_seconds_total") > 0);
        Assert.True(Count(scrape, "dotnet_jit_compiled_methods_total") > 0);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total", scrape, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    // The sum of the samples of a counter whose labels include all of the given ones (0 when there is none yet).
    private static double Count(string scrape, string metric, params string[] labels) =>
        Sample().Matches(scrape).Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
