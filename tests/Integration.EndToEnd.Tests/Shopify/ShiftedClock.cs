namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The host's clock moved forward by whole days (to reach a promotion's start date) while timers keep running in
/// real time, so leases, heartbeats and the database's own clock stay sound.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
