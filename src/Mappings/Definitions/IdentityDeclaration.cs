namespace Integration.Mappings.Definitions;

/// <summary>
/// How records of the two systems are known to be the same: through the key map (external id &lt;-&gt; ERP id),
/// then by match fields (email, phone, SKU) that also reveal duplicates.
/// </summary>
public sealed record IdentityDeclaration(bool UseKeyMap, IReadOnlyList<IdentityMatchField> Match, bool LinkOnMatch)
{
    public static IdentityDeclaration None { get; } = new(false, [], false);
}

/// <summary>A field that identifies a record (its kind decides how values are normalised: email lower case, phone digits).</summary>
public sealed record IdentityMatchField(string Name, FieldPath Left, FieldPath Right);
