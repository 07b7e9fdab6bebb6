namespace Integration.Erp.Companies;

/// <summary>
/// The chart of accounts and cost centers a new company starts with: a small Egyptian retailer selling in shops and
/// online, VAT 14 % on sales, paid in cash, by card through a payment gateway and cash on delivery.
/// </summary>
internal static class DefaultChart
{
    // (id, name, parent, isGroup, rootType, accountType)
    public static readonly IReadOnlyList<(string Id, string Name, string? Parent, bool IsGroup, string RootType, string? AccountType)> Accounts =
    [
        ("1000", "Assets", null, true, "Asset", null),
        ("1100", "Current Assets", "1000", true, "Asset", null),
        ("1110", "Cash on Hand", "1100", false, "Asset", "Cash"),
        ("1120", "Bank - Main Account", "1100", false, "Asset", "Bank"),
        ("1130", "Payment Gateway Clearing", "1100", false, "Asset", "Bank"),
        ("1140", "Cash on Delivery Clearing", "1100", false, "Asset", "Bank"),
        ("1150", "Accounts Receivable", "1100", false, "Asset", "Receivable"),
        ("1160", "Inventory", "1100", false, "Asset", "Stock"),
        ("1170", "Input VAT", "1100", false, "Asset", "Tax"),
        ("1190", "Temporary Opening", "1100", false, "Asset", "Temporary"),
        ("1200", "Fixed Assets", "1000", true, "Asset", null),
        ("1210", "Furniture and Equipment", "1200", false, "Asset", "Fixed Asset"),
        ("2000", "Liabilities", null, true, "Liability", null),
        ("2100", "Current Liabilities", "2000", true, "Liability", null),
        ("2110", "Accounts Payable", "2100", false, "Liability", "Payable"),
        ("2120", "Output VAT 14%", "2100", false, "Liability", "Tax"),
        ("2130", "Customer Advances and Gift Cards", "2100", false, "Liability", null),
        ("2140", "Stock Received But Not Billed", "2100", false, "Liability", null),
        ("3000", "Equity", null, true, "Equity", null),
        ("3100", "Owner's Capital", "3000", false, "Equity", "Equity"),
        ("3200", "Retained Earnings", "3000", false, "Equity", "Equity"),
        ("4000", "Income", null, true, "Income", null),
        ("4100", "Sales", "4000", false, "Income", "Income Account"),
        ("4200", "Shipping Income", "4000", false, "Income", "Income Account"),
        ("4300", "Sales Returns and Discounts", "4000", false, "Income", "Income Account"),
        ("5000", "Expenses", null, true, "Expense", null),
        ("5100", "Cost of Goods Sold", "5000", false, "Expense", "Cost of Goods Sold"),
        ("5200", "Operating Expenses", "5000", true, "Expense", null),
        ("5210", "Payment Gateway Fees", "5200", false, "Expense", "Expense Account"),
        ("5220", "Shipping and Delivery", "5200", false, "Expense", "Expense Account"),
        ("5230", "Marketing", "5200", false, "Expense", "Expense Account"),
        ("5240", "Salaries", "5200", false, "Expense", "Expense Account"),
        ("5250", "Rent", "5200", false, "Expense", "Expense Account"),
        ("5260", "Utilities", "5200", false, "Expense", "Expense Account"),
        ("5270", "Office Supplies", "5200", false, "Expense", "Expense Account"),
        ("5300", "Stock Adjustment", "5000", false, "Expense", "Stock Adjustment"),
        ("5900", "Round Off", "5000", false, "Expense", "Round Off"),
    ];

    public const string RoundOffAccount = "5900";

    public const string ReceivableAccount = "1150";

    public const string OutputTaxAccount = "2120";

    public const string RetainedEarningsAccount = "3200";

    // (id, name, parent, isGroup); the first is the root.
    public static IReadOnlyList<(string Id, string Name, string? Parent, bool IsGroup)> CostCenters(string company) =>
    [
        (company, company + " (all)", null, true),
        ("MAIN", "Main", company, false),
        ("STORES", "Shops", company, true),
        ("SHOP-CAIRO", "Cairo shop", "STORES", false),
        ("ONLINE", "Online store", company, false),
    ];

    public const string DefaultCostCenter = "MAIN";

    public const string StockAdjustmentAccount = "5300";

    public const string StockReceivedNotBilledAccount = "2140";

    public static readonly IReadOnlyList<(string Id, string Name, string? Parent, bool IsGroup, string? Income, string? Cogs, string? Stock)> ItemGroups =
    [
        ("ALL", "All item groups", null, true, "4100", "5100", "1160"),
        ("PRODUCTS", "Products", "ALL", false, null, null, null),
        ("SERVICES", "Services", "ALL", false, null, null, null),
    ];

    public static readonly IReadOnlyList<(string Id, string Name, string? Parent, bool IsGroup, string? StockAccount)> Warehouses =
    [
        ("ALL-WH", "All warehouses", null, true, null),
        ("MAIN-WH", "Main warehouse", "ALL-WH", false, "1160"),
        ("CAIRO-WH", "Cairo shop", "ALL-WH", false, "1160"),
    ];
}
