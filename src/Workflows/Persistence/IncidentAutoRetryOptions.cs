namespace Integration.Workflows.Persistence;

/// <summary>
/// <c>Flows:Incidents:AutoRetry</c>: how the host retries incidents whose error may pass (network, timeouts, an open
/// breaker, a store's 429 or 5xx). The n-th retry of a run's activity waits <see cref="Delays"/>[n] after its incident
/// (the last delay repeats) and there are at most <see cref="MaxRetries"/>; after that the incident waits for a person.
/// </summary>
public sealed class IncidentAutoRetryOptions
{
    public const string Section = "Flows:Incidents:AutoRetry";

    public bool Enabled { get; set; } = true;

    /// <summary>Empty: <see cref="DefaultDelays"/> (configuration appends to an array's initial items, so the default is not one).</summary>
    public TimeSpan[] Delays { get; set; } = [];

    public static IReadOnlyList<TimeSpan> DefaultDelays { get; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)];

    public IReadOnlyList<TimeSpan> EffectiveDelays => Delays.Length > 0 ? Delays : DefaultDelays;

    public int MaxRetries { get; set; } = 6;

    /// <summary>How often due incidents are looked for.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many due incidents one round retries (each retry runs the rest of its flow).</summary>
    public int BatchSize { get; set; } = 20;
}
