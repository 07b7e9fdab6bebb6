namespace Integration.Faults.Tests;

/// <summary>An open incident a scenario expects to be left: its flow, a part of its message, and why it is acceptable.</summary>
public sealed record ExpectedIncident(string Flow, string MessagePart, string Reason);
