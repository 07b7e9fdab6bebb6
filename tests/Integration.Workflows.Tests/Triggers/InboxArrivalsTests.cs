using Integration.Workflows.Triggers;
using Microsoft.Extensions.Options;

namespace Integration.Workflows.Tests.Triggers;

public sealed class InboxArrivalsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 1)]
    [InlineData(21, 2)]
    [InlineData(45, 3)]
    [InlineData(1000, 4)]
    [InlineData(0, 0)]
    public async Task Arrivals_wake_a_loop_per_batch_of_deliveries_and_at_most_every_loop(int deliveries, int expectedWakeUps)
    {
        using var arrivals = new InboxArrivals(Options.Create(new InboxDispatchOptions { Loops = 4, BatchSize = 20 }));

        arrivals.Arrived(deliveries);

        Assert.Equal(expectedWakeUps, await WakeUpsAsync(arrivals));
    }

    [Fact]
    public async Task Arrivals_while_every_loop_is_busy_leave_one_wake_up_per_loop()
    {
        using var arrivals = new InboxArrivals(Options.Create(new InboxDispatchOptions { Loops = 2, BatchSize = 5 }));

        for (var i = 0; i < 50; i++)
        {
            arrivals.Arrived(1);
        }

        Assert.Equal(2, await WakeUpsAsync(arrivals));
    }

    [Fact]
    public async Task A_wait_without_arrivals_ends_after_the_poll_interval()
    {
        using var arrivals = new InboxArrivals();

        Assert.False(await arrivals.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    private static async Task<int> WakeUpsAsync(InboxArrivals arrivals)
    {
        var woken = 0;
        while (await arrivals.WaitAsync(TimeSpan.Zero, CancellationToken.None))
        {
            woken++;
        }

        return woken;
    }
}
