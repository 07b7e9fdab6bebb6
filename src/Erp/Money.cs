namespace Integration.Erp;

/// <summary>The one place where the ledger rounds: to the company currency's precision, half away from zero.</summary>
public static class Money
{
    public static decimal Round(decimal amount, int precision) => Math.Round(amount, precision, MidpointRounding.AwayFromZero);
}
