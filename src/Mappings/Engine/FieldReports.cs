using System.Collections;

namespace Integration.Mappings.Engine;

/// <summary>
/// What a run reports about its fields (written, skipped), kept as values in one array while the run goes; the public
/// records (<see cref="FieldWrite"/>, <see cref="FieldSkip"/>) are made when a caller reads them, once each. The
/// array is made at the first report, at <paramref name="capacity"/> (the most a run can report), so it never grows.
/// </summary>
internal sealed class FieldReports<TEntry, TRecord>(Func<TEntry, TRecord> record, int capacity) : IReadOnlyList<TRecord>
    where TRecord : class
{
    private TEntry[] _entries = [];
    private TRecord?[]? _records;

    public int Count { get; private set; }

    /// <summary>The reports as values (no records made).</summary>
    public ReadOnlySpan<TEntry> Entries => _entries.AsSpan(0, Count);

    public TRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            if (_records is null || _records.Length < Count)
            {
                Array.Resize(ref _records, Count);
            }

            return _records[index] ??= record(_entries[index]);
        }
    }

    public void Add(TEntry entry)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, Count == 0 ? Math.Max(8, capacity) : Count * 2);
        }

        _entries[Count++] = entry;
    }

    public IEnumerator<TRecord> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
