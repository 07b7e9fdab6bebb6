namespace Integration.Erp.Accounts;

/// <summary>
/// A node of a company's chart of accounts: a group (rolls up its children) or a ledger account (takes postings).
/// <see cref="RootType"/> is Asset, Liability, Equity, Income or Expense; <see cref="AccountType"/> marks special
/// roles (Receivable, Payable, Bank, Cash, Stock, Cost of Goods Sold, Tax, Round Off, ...).
/// </summary>
public sealed record Account(
    string Company,
    string Id,
    string Name,
    string? Parent,
    bool IsGroup,
    string RootType,
    string? AccountType,
    bool Disabled)
{
    public static readonly IReadOnlyList<string> RootTypes = ["Asset", "Liability", "Equity", "Income", "Expense"];

    public static readonly IReadOnlyList<string> AccountTypes =
    [
        "Receivable", "Payable", "Bank", "Cash", "Stock", "Cost of Goods Sold", "Tax", "Income Account",
        "Expense Account", "Round Off", "Temporary", "Stock Adjustment", "Fixed Asset", "Equity",
    ];

    /// <summary>Income and expense lines must carry a cost center.</summary>
    public bool IsProfitAndLoss => RootType is "Income" or "Expense";

    /// <summary>Balance-sheet accounts whose lines must name a party (customer or supplier).</summary>
    public bool NeedsParty => AccountType is "Receivable" or "Payable";
}
