namespace Integration.Connectors.Eta.Receipts;

/// <summary>The document holds data ETA would refuse; <see cref="Code"/> says which rule (e.g. <c>buyer-id-required</c>).</summary>
public sealed class ReceiptRefusedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
