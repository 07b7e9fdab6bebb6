namespace Integration.Erp;

/// <summary>
/// A request the ERP refuses by its rules (unbalanced voucher, closed period, exceeded budget...). <see cref="Code"/>
/// is stable: callers and the HTTP API (as the ProblemDetails <c>type</c>) rely on it.
/// </summary>
public sealed class ErpRuleException(string code, string message, int status = 422, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;

    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();

    public static ErpRuleException NotFound(string code, string message) => new(code, message, 404);
}
