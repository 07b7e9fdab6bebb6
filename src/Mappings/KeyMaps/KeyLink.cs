namespace Integration.Mappings.KeyMaps;

/// <summary>One record known to both sides: the external system's id (in a store) and the ERP's id.</summary>
public sealed record KeyLink(string System, string Entity, string Store, string ExternalId, string ErpId);
