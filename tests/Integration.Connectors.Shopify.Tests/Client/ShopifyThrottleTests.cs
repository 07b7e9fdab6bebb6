using Integration.Connectors.Shopify.Client;
using Microsoft.Extensions.Time.Testing;

namespace Integration.Connectors.Shopify.Tests.Client;

public sealed class ShopifyThrottleTests
{
    [Fact]
    public async Task A_request_waits_until_the_bucket_holds_its_estimated_cost()
    {
        var time = new FakeTimeProvider();
        var throttle = new ShopifyThrottle(time);
        throttle.Release(0, "SetStock", new QueryCost(RequestedQueryCost: 300, ActualQueryCost: 300, MaximumAvailable: 2000, CurrentlyAvailable: 100, RestoreRate: 100));

        Assert.Equal(300, throttle.EstimateOf("SetStock"));
        var acquire = throttle.AcquireAsync(throttle.EstimateOf("SetStock"), CancellationToken.None).AsTask();
        Assert.False(acquire.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1.5)); // 250 points: not yet
        await Task.Yield();
        Assert.False(acquire.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.5)); // 300 points
        Assert.Equal(300, await acquire.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Points_reserved_by_a_request_in_flight_are_not_lent_to_the_next()
    {
        var time = new FakeTimeProvider();
        var throttle = new ShopifyThrottle(time);
        throttle.Release(0, "Q", new QueryCost(100, 100, 1000, 150, 50));

        Assert.Equal(100, await throttle.AcquireAsync(100, CancellationToken.None));
        var second = throttle.AcquireAsync(100, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.TimeUntil(100));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void An_answer_arriving_after_a_later_one_does_not_raise_the_bucket_again()
    {
        var time = new FakeTimeProvider();
        var throttle = new ShopifyThrottle(time);
        // B's answer (the store charged A, then B: 400 left) comes before A's (computed after A only: 700 left).
        throttle.Release(0, "Q", new QueryCost(300, 300, 1000, 400, 50));
        throttle.Release(0, "Q", new QueryCost(300, 300, 1000, 700, 50));

        Assert.Equal(TimeSpan.FromSeconds(2), throttle.TimeUntil(500));

        // A later answer lower than the estimate is the truth.
        throttle.Release(0, "Q", new QueryCost(300, 300, 1000, 100, 50));
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.TimeUntil(500));
    }

    [Fact]
    public async Task Before_the_first_answer_nothing_is_known_and_nothing_waits()
    {
        var throttle = new ShopifyThrottle(new FakeTimeProvider());

        Assert.Equal(50, await throttle.AcquireAsync(50, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(10, throttle.EstimateOf("Unknown", 10));
    }

    [Fact]
    public async Task The_first_call_of_an_operation_goes_alone_and_the_rest_wait_for_the_cost_it_learns()
    {
        var time = new FakeTimeProvider();
        var throttle = new ShopifyThrottle(time);
        throttle.Release(0, "Shop", new QueryCost(10, 10, 1000, 1000, 50));

        // Three price pushes at once, guessed at 10 points each; the real cost is 400.
        var (reserved, probe) = await throttle.AcquireAsync("VariantsBulkUpdate", 10, CancellationToken.None);
        var second = throttle.AcquireAsync("VariantsBulkUpdate", 10, CancellationToken.None).AsTask();
        var third = throttle.AcquireAsync("VariantsBulkUpdate", 10, CancellationToken.None).AsTask();
        Assert.True(probe);
        Assert.Equal(10, reserved);
        await Task.Yield();
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        // Its answer says 400 asked, 590 left: one more fits now at the real cost; the other waits for points.
        throttle.Release(reserved, "VariantsBulkUpdate", new QueryCost(400, 400, 1000, 590, 50), probe);
        var next = await Task.WhenAny(second, third).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((400d, false), await next);
        var last = next == second ? third : second;
        await Task.Yield();
        Assert.False(last.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5)); // 190 + 250 points
        Assert.Equal((400d, false), await last.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_first_call_of_an_operation_without_a_guess_waits_for_what_a_single_query_may_cost()
    {
        // A catalogue read keeps the bucket nearly empty when a scheduled check pages webhook subscriptions for the
        // first time: at a guess of 0 it would go at once and meet a 429.
        var time = new FakeTimeProvider();
        var throttle = new ShopifyThrottle(time);
        throttle.Release(0, "CatalogueVariants", new QueryCost(752, 752, 20000, 300, 1000));

        var first = throttle.AcquireAsync("WebhookSubscriptions", null, CancellationToken.None).AsTask();
        await Task.Yield();
        Assert.False(first.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.6)); // 900 points
        await Task.Yield();
        Assert.False(first.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(0.1)); // 1,000 points
        Assert.Equal((ShopifyThrottle.SingleQueryMaximum, true), await first.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
