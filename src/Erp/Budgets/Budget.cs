namespace Integration.Erp.Budgets;

/// <summary>
/// A spending limit for one account on one cost center (and everything below it) in one fiscal year. The annual
/// amount may be spread over the months by <see cref="MonthlyDistribution"/> (a percentage for each month of the
/// fiscal year from its first, summing to 100); without one the accumulated-monthly check is off. Each limit has an action:
/// Stop refuses the posting that would cross it, Warn lets it through with a warning, Ignore does nothing. A warning
/// is also raised when spending reaches <see cref="WarnThresholdPercent"/> of a limit.
/// </summary>
public sealed record Budget(
    long Id,
    string Company,
    string FiscalYear,
    string CostCenter,
    string Account,
    decimal AnnualAmount,
    IReadOnlyList<decimal>? MonthlyDistribution,
    string AnnualAction,
    string MonthlyAction,
    decimal WarnThresholdPercent)
{
    public static readonly IReadOnlyList<string> Actions = ["Stop", "Warn", "Ignore"];

    /// <summary>The limit accumulated up to and including month <paramref name="monthIndex"/> (0 = first month).</summary>
    public decimal AccumulatedLimit(int monthIndex) =>
        MonthlyDistribution is null
            ? AnnualAmount
            : AnnualAmount * MonthlyDistribution.Take(monthIndex + 1).Sum() / 100m;
}
