namespace Integration.Mappings.KeyMaps;

/// <summary>
/// External id &lt;-&gt; ERP id per system, entity and store, looked up both ways; plus the identifying values
/// (normalised email, phone...) of ERP records, to find a record, or a duplicate, when no id is linked yet.
/// </summary>
public interface IKeyMap
{
    ValueTask<string?> FindErpIdAsync(string system, string entity, string store, string externalId, CancellationToken cancellationToken = default);

    ValueTask<string?> FindExternalIdAsync(string system, string entity, string store, string erpId, CancellationToken cancellationToken = default);

    /// <summary>Links the two ids (idempotent); an external id already linked to another ERP id is moved to this one.</summary>
    ValueTask LinkAsync(KeyLink link, CancellationToken cancellationToken = default);

    /// <summary>
    /// When the latest link of a store's records of these entities was made (null: none yet), of those ERP ids only when
    /// given. A host that read the store's catalogue before then may miss what another host just created there.
    /// </summary>
    ValueTask<DateTimeOffset?> LatestLinkAsync(
        string system, string store, IReadOnlyCollection<string> entities, IReadOnlyCollection<string>? erpIds = null, CancellationToken cancellationToken = default);

    /// <summary>Remembers an ERP record's identifying value (e.g. <c>email</c> = <c>bob@biller.com</c>, already normalised).</summary>
    ValueTask AddMatchValueAsync(string entity, string erpId, string matchName, string value, CancellationToken cancellationToken = default);

    /// <summary>The ERP ids whose identifying value is this one (more than one: duplicates).</summary>
    ValueTask<IReadOnlyList<string>> FindByMatchValueAsync(string entity, string matchName, string value, CancellationToken cancellationToken = default);
}
