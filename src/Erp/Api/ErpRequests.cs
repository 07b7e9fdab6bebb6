using Integration.Erp.Ledger;

namespace Integration.Erp.Api;

internal sealed record CreateCompanyRequest(string Id, string Name, string? Currency, int? CurrencyPrecision);

internal sealed record CreateAccountRequest(string? Company, string Id, string Name, string? Parent, bool IsGroup, string RootType, string? AccountType);

internal sealed record UpdateAccountRequest(string? Name, bool? Disabled);

internal sealed record CreateCostCenterRequest(string? Company, string Id, string Name, string? Parent, bool IsGroup);

internal sealed record CreateFiscalYearRequest(string? Company, string Id, DateOnly StartDate, DateOnly EndDate);

internal sealed record ClosePeriodRequest(DateOnly? Date);

internal sealed record CreateJournalEntryRequest(
    string? Company, DateOnly PostingDate, string? Remarks, IReadOnlyList<VoucherLine> Lines, bool Post, string? IdempotencyKey);

internal sealed record CancelJournalEntryRequest(DateOnly? PostingDate);

internal sealed record CreateBudgetRequest(
    string? Company, string FiscalYear, string CostCenter, string Account, decimal AnnualAmount,
    IReadOnlyList<decimal>? MonthlyDistribution, string? AnnualAction, string? MonthlyAction, decimal? WarnThresholdPercent);

internal sealed record CommitmentLine(string Account, string CostCenter, decimal Amount);

internal sealed record ReleaseBudgetRequest(string? Company, string DocumentType, string DocumentNo);

internal sealed record CommitBudgetRequest(string? Company, string DocumentType, string DocumentNo, DateOnly Date, IReadOnlyList<CommitmentLine> Lines);
