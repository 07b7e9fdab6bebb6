using Dapper;
using Integration.Connectors.Eta.Canonical;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Connectors.Eta.Issuing;

/// <summary>Reads the receipts: lists for the API and the chain walk of <c>eta verify-chain</c>.</summary>
public sealed class EtaReceiptBook(NpgsqlDataSource dataSource, IOptionsMonitor<EtaOptions> options)
{
    public async Task<(IReadOnlyList<EtaReceipt> Receipts, long Total)> ListAsync(EtaReceiptQuery query, CancellationToken cancellationToken)
    {
        var where = "WHERE (@State::text IS NULL OR r.state = @State) AND (@Device::text IS NULL OR r.device = @Device)"
            + " AND (@Company::text IS NULL OR r.company = @Company) AND (@DocumentId::bigint IS NULL OR r.document_id = @DocumentId)"
            + " AND (@DocumentNo::text IS NULL OR r.document_no = @DocumentNo) AND (@Uuid::text IS NULL OR r.uuid = @Uuid)";
        var size = Math.Clamp(query.PageSize, 1, 500);
        var args = new DynamicParameters(new { query.State, query.Device, query.Company, query.DocumentId, query.DocumentNo, query.Uuid, Size = size, Skip = (Math.Max(query.Page, 1) - 1) * size });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM eta.receipt r " + where, args);
        var rows = await connection.QueryAsync<EtaReceiptRow>(EtaReceiptRow.Select + " " + where + " ORDER BY r.id DESC LIMIT @Size OFFSET @Skip", args);
        var portal = options.CurrentValue.PortalBaseUrl;
        return ([.. rows.Select(r => r.ToReceipt(portal, withBody: false))], total);
    }

    /// <summary>
    /// Walks a device's chain in issue order: each previousUUID must be the uuid before it ('' for the first; a receipt
    /// refused on arrival is passed over), each uuid the hash of the stored body, and the device's head the last uuid.
    /// </summary>
    public async Task<EtaChainReport> VerifyChainAsync(string device, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var head = await connection.QuerySingleOrDefaultAsync<string?>("SELECT last_uuid FROM eta.device WHERE serial = @device", new { device });
        var breaks = new List<EtaChainBreak>();
        var previous = string.Empty;
        long expectedSeq = 1, count = 0;
        await using (var reader = await connection.ExecuteReaderAsync(
            "SELECT chain_seq, receipt_number, uuid, previous_uuid, body, refused_on_arrival FROM eta.receipt WHERE device = @device ORDER BY chain_seq", new { device }))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (seq, number, uuid, previousUuid, body) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
                var refusedOnArrival = reader.GetBoolean(5);
                count++;
                if (seq != expectedSeq)
                {
                    breaks.Add(new EtaChainBreak(seq, number, uuid, $"position {seq} follows {expectedSeq - 1}: receipts are missing"));
                }

                if (previousUuid != previous)
                {
                    breaks.Add(new EtaChainBreak(seq, number, uuid, $"previousUUID '{previousUuid}' is not the uuid before it ('{previous}')"));
                }

                var computed = EtaUuid.Compute(body);
                if (computed != uuid)
                {
                    breaks.Add(new EtaChainBreak(seq, number, uuid, $"the body hashes to {computed}, not to its uuid"));
                }

                // A receipt the portal refused on arrival is no link: the next one follows the receipt before it.
                if (!refusedOnArrival)
                {
                    previous = uuid;
                }

                expectedSeq = seq + 1;
            }
        }

        if (head is not null && head != previous)
        {
            breaks.Add(new EtaChainBreak(expectedSeq - 1, "(head)", head, $"the device's head is '{head}' but its last receipt is '{previous}'"));
        }

        return new EtaChainReport(device, count, previous, breaks);
    }
}
