namespace Integration.Mappings.Echoes;

/// <summary>The unexpired fingerprints of one record, by field: what the host last wrote there.</summary>
public sealed class EchoSet
{
    private readonly Dictionary<string, EchoFingerprint> _byField;

    public EchoSet(IEnumerable<EchoFingerprint> fingerprints)
    {
        _byField = new Dictionary<string, EchoFingerprint>(StringComparer.Ordinal);
        foreach (var fingerprint in fingerprints.OrderBy(f => f.WrittenAt))
        {
            _byField[fingerprint.Field] = fingerprint;
        }
    }

    public static EchoSet Empty { get; } = new([]);

    public int Count => _byField.Count;

    /// <summary>The host's last write of <paramref name="field"/>, if one is unexpired.</summary>
    public bool TryGet(string field, out EchoFingerprint fingerprint) => _byField.TryGetValue(field, out fingerprint!);

    /// <summary>True when the host's last write of <paramref name="field"/> had this value: the change is our own echo.</summary>
    public bool Matches(string field, string valueHash, out EchoFingerprint fingerprint) =>
        _byField.TryGetValue(field, out fingerprint!) && fingerprint.ValueHash == valueHash;
}
