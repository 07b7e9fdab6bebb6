using System.Diagnostics.Metrics;

namespace Integration.Erp.Budgets;

/// <summary>
/// Budget checks as OpenTelemetry sees them (meter <see cref="Name"/>): each time a posting or commitment met a budget
/// limit, by company, action (<c>Warn</c>: let through with a warning, <c>Stop</c>: refused) and scope
/// (<c>annual</c>, <c>monthly</c>).
/// </summary>
public static class BudgetTelemetry
{
    public const string Name = "Integration.Erp";

    // One meter for the process: per-host meters share their streams when a process runs several hosts (tests).
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Hits = Meter.CreateCounter<long>("integration.erp.budget.hits", description: "Budget limits met by a posting or commitment, by company, action (Warn, Stop) and scope (annual, monthly).");

    internal static void Hit(string company, string action, string scope)
    {
        if (Hits.Enabled)
        {
            Hits.Add(1, new KeyValuePair<string, object?>("company", company), new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("scope", scope));
        }
    }
}
