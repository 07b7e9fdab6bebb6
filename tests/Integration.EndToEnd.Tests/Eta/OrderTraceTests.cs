using System.Collections.Concurrent;
using System.Diagnostics;
using Integration.EndToEnd.Tests.Shopify;

namespace Integration.EndToEnd.Tests.Eta;

/// <summary>
/// One trace per order: the webhook request, the inbox dispatch, the order's run that books the invoice and issues the
/// receipt, and, once the portal says Valid (the batch submission is a trace of its own), the run that shows the
/// receipt on the order, all under one trace id.
/// </summary>
public sealed class OrderTraceTests(EtaStoreHost host) : IClassFixture<EtaStoreHost>
{
    [Fact]
    public async Task The_webhook_the_invoice_run_and_the_receipt_shown_on_the_order_share_one_trace()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Integration.Flows" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var order = new ShopifyOrderPayload(); // paid at checkout: orders/create books the invoice and issues the receipt
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        var invoice = await new ErpBooks(host).DocumentAsync("Sales Invoice", order.Id);
        await host.SettleAsync(invoice.GetProperty("docNo").GetString()!);

        // The listener hears every host in the process: spans are picked by the order's correlation id and trace id.
        var correlation = $"shopify:{ShopifyStoreHost.Store}:order:{order.Id}";
        var run = Assert.Single(spans, s => s.OperationName == "flow shopify-order-to-cash" && (string?)s.GetTagItem("flow.correlation_id") == correlation);
        // A span is heard when it stops: the receipt run stops before the outbox dispatch that started it, so wait for both.
        await ShopifyStoreHost.EventuallyAsync(
            () => InTrace(run.TraceId) is var heard
                && heard.Any(s => s.OperationName == "flow shopify-order-receipt")
                && heard.Any(s => s.OperationName == "outbox eta.receipt.valid"),
            "the run that shows the receipt on the order, and the dispatch that started it, in the order's trace");

        var trace = InTrace(run.TraceId);
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server); // the webhook request
        Assert.Contains(trace, s => s.OperationName == "inbox orders/create" && s.SpanId == run.ParentSpanId);
        Assert.Contains(trace, s => s.OperationName == "outbox erp.invoice.posted" && s.ParentSpanId == run.SpanId);
        Assert.Contains(trace, s => s.OperationName == "outbox eta.receipt.valid" && s.ParentSpanId == run.SpanId); // issued by the order's run
        Assert.True(host.Shopify.State.Metafield(order.Id, "eta", "receipt") is not null);

        List<Activity> InTrace(ActivityTraceId id) => [.. spans.Where(s => s.TraceId == id)];
    }
}
