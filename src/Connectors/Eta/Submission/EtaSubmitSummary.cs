namespace Integration.Connectors.Eta.Submission;

/// <summary>What one submit round did: receipts the portal took, refused at once, and left for later (with why).</summary>
public sealed record EtaSubmitSummary(int Submitted, int Rejected, int Deferred, int Recovered, IReadOnlyList<string> Problems);

/// <summary>What one poll round learnt: verdicts, receipts still waiting, and receipts that went late.</summary>
public sealed record EtaPollSummary(int Valid, int Invalid, int Pending, int Late, IReadOnlyList<string> Problems);
