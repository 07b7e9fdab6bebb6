namespace Integration.Mappings.Echoes;

/// <summary>What the host wrote to a system: which record and field, a hash of the value, and when.</summary>
public sealed record EchoFingerprint(string System, string Entity, string RecordId, string Field, string ValueHash, DateTimeOffset WrittenAt)
{
    /// <summary>
    /// A record's id as the guard keys it: with the store the write went through, when there is one. Two stores may
    /// use the same numeric id for different customers, and a write to the ERP through one store is no echo for another.
    /// </summary>
    public static string RecordKey(string? store, string recordId) => store is null ? recordId : store + "/" + recordId;
}
