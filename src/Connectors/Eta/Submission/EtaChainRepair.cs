using System.Text.Json.Nodes;
using Dapper;
using Integration.Connectors.Eta.Canonical;
using Npgsql;

namespace Integration.Connectors.Eta.Submission;

/// <summary>
/// Takes the receipts the portal refused on arrival (<c>rejectedDocuments</c>) out of their device's chain. The portal
/// never held them, so a receipt pointing at one is refused in turn, and every receipt after it, for good. The receipts
/// after a refused one that the portal has not taken (drafts, and those refused in the same answer because the one
/// before them was) are chained again on the last receipt that is a link: new previousUUID, so new uuid (a return's
/// referenceUUID follows its sale's new uuid), back to Draft; the device's head moves back the same way. A receipt the
/// portal took (Submitted, Valid, or Invalid by its verdict) is never changed and stays a link.
/// </summary>
internal static class EtaChainRepair
{
    /// <summary>
    /// Runs in the transaction that records the portal's answer, before anything else in it (it locks the device's row
    /// first, as issuing does). Answers the uuids of <paramref name="refusedNow"/> refused only for the chain: they are
    /// drafts again under new uuids, not Invalid.
    /// </summary>
    public static async Task<HashSet<string>> RepairAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string device, IReadOnlyCollection<string> refusedNow)
    {
        var head = await connection.QuerySingleAsync<string>("SELECT last_uuid FROM eta.device WHERE serial = @device FOR UPDATE", new { device }, transaction);
        var unlinked = new Dictionary<string, string>(StringComparer.Ordinal); // a refused receipt -> the link before it
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal); // a receipt chained again -> its new uuid
        foreach (var (uuid, previous) in await connection.QueryAsync<(string, string)>(
            "SELECT uuid, previous_uuid FROM eta.receipt WHERE device = @device AND refused_on_arrival ORDER BY chain_seq", new { device }, transaction))
        {
            unlinked[uuid] = Link(previous, unlinked, renamed);
        }

        var refused = refusedNow.ToHashSet(StringComparer.Ordinal);
        var after = await connection.QueryAsync<(long Id, string Uuid, string PreviousUuid, string? ReferenceUuid, string State, string Body)>("""
            SELECT id, uuid, previous_uuid, reference_uuid, state, body FROM eta.receipt
            WHERE device = @device AND chain_seq >= (SELECT min(chain_seq) FROM eta.receipt WHERE device = @device AND uuid = ANY(@refused))
            ORDER BY chain_seq
            """, new { device, refused = refused.ToArray() }, transaction);
        var reissued = new HashSet<string>(StringComparer.Ordinal);
        foreach (var receipt in after)
        {
            var previous = Link(receipt.PreviousUuid, unlinked, renamed);
            var reference = receipt.ReferenceUuid is { } sale && renamed.TryGetValue(sale, out var renamedSale) ? renamedSale : receipt.ReferenceUuid;
            if (refused.Contains(receipt.Uuid) && previous == receipt.PreviousUuid)
            {
                unlinked[receipt.Uuid] = previous; // refused for what it says: Invalid, the operator's to correct
            }
            else if ((refused.Contains(receipt.Uuid) || receipt.State == "Draft") && (previous != receipt.PreviousUuid || reference != receipt.ReferenceUuid))
            {
                renamed[receipt.Uuid] = await ChainAgainAsync(connection, transaction, receipt.Id, receipt.Body, previous, reference);
                if (refused.Contains(receipt.Uuid))
                {
                    reissued.Add(receipt.Uuid);
                }
            }
        }

        var newHead = Link(head, unlinked, renamed);
        if (newHead != head)
        {
            await connection.ExecuteAsync(
                "UPDATE eta.device SET last_uuid = @newHead, last_receipt_id = (SELECT id FROM eta.receipt WHERE uuid = @newHead) WHERE serial = @device",
                new { device, newHead }, transaction);
        }

        return reissued;
    }

    // The receipt a previousUUID stands for now: past refused receipts to the one before them, to a new uuid where chained again.
    private static string Link(string uuid, Dictionary<string, string> unlinked, Dictionary<string, string> renamed)
    {
        while (unlinked.TryGetValue(uuid, out var next) || renamed.TryGetValue(uuid, out next))
        {
            uuid = next;
        }

        return uuid;
    }

    private static async Task<string> ChainAgainAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string body, string previous, string? reference)
    {
        // The frozen body with its chain fields changed in place: the content, issue time and number stay as they were.
        var receipt = JsonNode.Parse(body)!.AsObject();
        var header = receipt["header"]!.AsObject();
        header["previousUUID"] = previous;
        if (reference is not null)
        {
            header["referenceUUID"] = reference;
        }

        var uuid = EtaUuid.Compute(EtaJson.Write(receipt));
        header["uuid"] = uuid;
        await connection.ExecuteAsync("""
            UPDATE eta.receipt SET uuid = @uuid, previous_uuid = @previous, reference_uuid = @reference, body = @body, state = 'Draft',
                errors = NULL, decided_at = NULL, next_attempt_at = NULL, last_error = 'chained again: a receipt before it was refused on arrival'
            WHERE id = @id
            """, new { id, uuid, previous, reference, body = EtaJson.Write(receipt) }, transaction);
        return uuid;
    }
}
