namespace Integration.Connectors.Eta.Issuing;

/// <summary>The walk of one device's chain: how many receipts, the head, and every break found.</summary>
public sealed record EtaChainReport(string Device, long Receipts, string Head, IReadOnlyList<EtaChainBreak> Breaks)
{
    public bool Unbroken => Breaks.Count == 0;
}

/// <summary>A receipt whose previousUUID is not its predecessor's uuid, or whose uuid is not the hash of its body.</summary>
public sealed record EtaChainBreak(long ChainSeq, string ReceiptNumber, string Uuid, string Reason);
