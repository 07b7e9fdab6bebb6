namespace Integration.Mappings.Engine;

/// <summary>A field of one array item (by key), or of the document (no key), as the run's reports keep it.</summary>
internal readonly record struct FieldSpot(FieldSite Site, string? Key)
{
    public FieldLocation Location => Site.At(Key);
}
