using Integration.Workflows.Execution;

namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// The document holds data ETA would refuse; <see cref="Code"/> says which rule (e.g. <c>buyer-id-required</c>).
/// <c>no-reference</c> is transient: a return whose sale's receipt is not issued yet (the order's run issues it, and
/// then retries the refund's incident) or is Invalid until corrected; the host retries it on its own too
/// (<c>Flows:Incidents:AutoRetry</c>). The others wait for a person.
/// </summary>
public sealed class ReceiptRefusedException(string code, string message) : Exception(message), ITransientFailure
{
    public string Code { get; } = code;

    public bool IsTransient => Code == "no-reference";
}
