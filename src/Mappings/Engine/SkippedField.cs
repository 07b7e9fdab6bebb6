namespace Integration.Mappings.Engine;

/// <summary>A field skipped, as the run keeps it (the <see cref="FieldSkip"/> record is made when a caller reads it).</summary>
internal readonly record struct SkippedField(FieldSpot Spot, SkipReason Reason)
{
    public FieldLocation Location => Spot.Location;

    public static readonly Func<SkippedField, FieldSkip> Record = static s => new FieldSkip(s.Location, s.Reason);
}
