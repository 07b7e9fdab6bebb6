namespace Integration.Erp.FiscalYears;

/// <summary>A company's fiscal year, split into monthly accounting periods that can be closed one by one.</summary>
public sealed record FiscalYear(string Company, string Id, DateOnly StartDate, DateOnly EndDate, bool Closed, IReadOnlyList<AccountingPeriod> Periods);

/// <summary>One month of a fiscal year; a closed period refuses postings dated inside it.</summary>
public sealed record AccountingPeriod(DateOnly StartDate, DateOnly EndDate, bool Closed);
