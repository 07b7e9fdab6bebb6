namespace Integration.Connectors.Eta.Submission;

/// <summary>
/// What one submit round did: receipts the portal took, refused at once, and left for later (with why); found on the
/// portal after a lost answer; chained again because a receipt before them was refused on arrival (and sent again).
/// </summary>
public sealed record EtaSubmitSummary(int Submitted, int Rejected, int Deferred, int Recovered, int Rechained, IReadOnlyList<string> Problems);

/// <summary>What one poll round learnt: verdicts, receipts still waiting, and receipts that went late.</summary>
public sealed record EtaPollSummary(int Valid, int Invalid, int Pending, int Late, IReadOnlyList<string> Problems);
