namespace Integration.Connectors.Eta.Portal;

/// <summary>One error the portal reported on a receipt: the field it is about, ETA's code and the (English) message.</summary>
public sealed record EtaError(string? PropertyPath, string? Code, string Message);
