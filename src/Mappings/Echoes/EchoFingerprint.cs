namespace Integration.Mappings.Echoes;

/// <summary>What the host wrote to a system: which record and field, a hash of the value, and when.</summary>
public sealed record EchoFingerprint(string System, string Entity, string RecordId, string Field, string ValueHash, DateTimeOffset WrittenAt);
