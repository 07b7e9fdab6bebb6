namespace Integration.Erp.Sales;

/// <summary>
/// An amount credited without goods (a shipping refund, a goodwill refund): it reverses <see cref="IncomeAccount"/>
/// and its VAT. With <see cref="Tax"/> given, that tax is taken as is; otherwise it is worked out at
/// <see cref="TaxRate"/> (default 14 %), from an amount that includes tax when <see cref="AmountIncludesTax"/>
/// (default: as the invoice's prices do). With <see cref="TaxAsInvoiced"/> the amount includes tax and is shared over
/// the invoice's VAT rates in proportion to what is left of the sale at each (its income lines' units not given back, less
/// money credited without goods before at that rate), one credited line per rate: money given back without goods on an
/// order of taxed and exempt goods reverses the VAT the sale charged, not 14 % of it all.
/// </summary>
public sealed record ReturnAmountInput(
    decimal Amount, string IncomeAccount, decimal? TaxRate = null, decimal? Tax = null, bool? AmountIncludesTax = null,
    string? Description = null, string? CostCenter = null, bool? TaxAsInvoiced = null);
