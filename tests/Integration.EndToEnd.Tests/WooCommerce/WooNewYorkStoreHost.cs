namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce store whose WordPress site runs on New York time (its local <c>date_*</c> texts are 7 hours behind
/// Cairo's day in November), with a store clock a test sets (<see cref="StoreTime"/>); the host's own clock is real.
/// </summary>
public sealed class WooNewYorkStoreHost : WooCommerceStoreHost
{
    public WooNewYorkStoreHost()
    {
        Woo.Options.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Woo.Options.Time = StoreClock;
    }

    private SetClock StoreClock { get; } = new();

    /// <summary>What the store's clock says (refunds and status changes are stamped with it); the real time until set.</summary>
    public DateTimeOffset? StoreTime { get => StoreClock.At; set => StoreClock.At = value; }

    private sealed class SetClock : TimeProvider
    {
        public DateTimeOffset? At { get; set; }

        public override DateTimeOffset GetUtcNow() => At ?? System.GetUtcNow();
    }
}
