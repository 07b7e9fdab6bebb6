using System.Text.Json;

namespace Integration.Host.Inbox;

/// <summary>One stored delivery with its headers and body, for looking into what a store sent.</summary>
public sealed record InboxEntryDetail(
    InboxEntry Entry,
    JsonElement Headers,
    JsonElement? Payload,
    string? RawBody);
