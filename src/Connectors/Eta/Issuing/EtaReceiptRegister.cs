using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Integration.Connectors.Eta.Canonical;
using Integration.Connectors.Eta.Receipts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Connectors.Eta.Issuing;

/// <summary>
/// Issues receipts onto their device's chain. The device row is locked for the whole issue, so the previousUUID read,
/// the receipt stored and the chain head moved happen in one transaction: two sales at once, on one host or several,
/// never share a previousUUID. Issuing is idempotent on the ERP document (one original receipt per invoice or return).
/// </summary>
public sealed class EtaReceiptRegister(NpgsqlDataSource dataSource, IOptionsMonitor<EtaOptions> options, TimeProvider time)
{
    public const string InvoiceType = "Sales Invoice";
    public const string ReturnType = "Sales Return";

    /// <summary>The seller that issues a store's receipts; throws when there is none.</summary>
    public EtaSellerOptions SellerOf(string store) =>
        options.CurrentValue.Sellers.FirstOrDefault(s => string.Equals(s.Store, store, StringComparison.OrdinalIgnoreCase))
        ?? throw new EtaSellerNotConfiguredException(store);

    public static string StoreOf(ReceiptDocument document) => $"{document.SourceSystem}/{document.SourceStore}";

    // A credit note made in the ERP whose sale has no receipt: none is due where no seller tells ETA anything; else the
    // sale's receipt is still to come (or was never issued), which a person must know rather than the credit go untold.
    private string SaleNotTold(ReceiptDocument document) => options.CurrentValue.Sellers.Count == 0
        ? throw new EtaSellerNotConfiguredException($"(the sale of {document.DocNo})")
        : throw new ReceiptRefusedException("no-reference",
            $"Return {document.DocNo}: its sale (document {document.AgainstId}) has no ETA receipt yet, so neither its seller nor the reference is known. Issue the sale's receipt first, or cancel this incident if that sale is not reported to ETA.");

    /// <summary>Issues the receipt of a sales invoice or return, or returns the one issued before (<c>Existed</c>).</summary>
    public async Task<(EtaReceipt Receipt, bool Existed)> IssueAsync(ReceiptSource source, CancellationToken cancellationToken)
    {
        var document = source.Document;
        if (document.DocType is not (InvoiceType or ReturnType))
        {
            throw new ReceiptRefusedException("not-a-sale", $"Document {document.DocNo} is a {document.DocType}; receipts are issued for sales invoices and returns.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A credit note made in the ERP (no store's record behind it) is told by the seller that told the sale.
        var store = document is { DocType: ReturnType, SourceSystem: null or "" }
            ? await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT store FROM eta.receipt WHERE company = @Company AND document_id = @AgainstId ORDER BY id DESC LIMIT 1", new { document.Company, document.AgainstId })
              ?? SaleNotTold(document)
            : StoreOf(document);
        var seller = SellerOf(store);
        if (ReceiptBuilder.Items(document, seller).Count == 0)
        {
            throw new ReceiptRefusedException("no-lines", $"Document {document.DocNo} sells nothing ETA is told about (no line with a quantity, or only prepayments such as gift cards).");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var head = await LockDeviceAsync(connection, transaction, seller.Device);
        var existing = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM eta.receipt WHERE company = @Company AND document_id = @Id AND corrects_id IS NULL",
            new { document.Company, document.Id }, transaction);
        if (existing is { } id)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (await GetAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Receipt {id} vanished."), true);
        }

        string? reference = null;
        if (document.DocType == ReturnType)
        {
            // The sale's latest receipt that the portal did not refuse: a corrected sale is referenced by its correction.
            var sale = await connection.QuerySingleOrDefaultAsync<(string Uuid, string Body)?>("""
                SELECT uuid, body FROM eta.receipt WHERE company = @Company AND document_id = @AgainstId AND state <> 'Invalid'
                ORDER BY id DESC LIMIT 1
                """, new { document.Company, document.AgainstId }, transaction)
                ?? throw new ReceiptRefusedException("no-reference", $"Return {document.DocNo}: invoice {document.AgainstId} has no receipt the portal took; issue the sale's receipt first.");
            reference = sale.Uuid;
            source = FromSale(source, sale.Body);
        }

        var receipt = await InsertAsync(connection, transaction, source, seller, store, head, reference, referenceOld: null, correctsId: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        EtaReceiptTelemetry.Entered(EtaReceiptStates.Draft, seller.Device);
        return (receipt, false);
    }

    /// <summary>
    /// Issues the correction of an Invalid receipt: rebuilt from what it was built from (or <paramref name="fresh"/>) with
    /// today's seller settings, chained at the device's head, pointing at the Invalid one with referenceOldUUID (unless the
    /// portal refused it on arrival, and so never held it). Refused
    /// while the rebuilt receipt says exactly what the Invalid one said (nothing was fixed yet), unless
    /// <paramref name="asIs"/>: an operator who read ETA's errors says issuing it again is the fix (ETA refused the issue
    /// time, the chain or a reference, which a new receipt renews).
    /// </summary>
    public async Task<(EtaReceipt Receipt, bool Existed)> CorrectAsync(long invalidId, ReceiptSource? fresh, CancellationToken cancellationToken, bool asIs = false)
    {
        var invalid = await GetAsync(invalidId, cancellationToken) ?? throw new KeyNotFoundException($"No ETA receipt {invalidId}.");
        if (invalid.CorrectedById is { } corrected)
        {
            return (await GetAsync(corrected, cancellationToken) ?? throw new InvalidOperationException($"Receipt {corrected} vanished."), true);
        }

        if (invalid.State != EtaReceiptStates.Invalid)
        {
            throw new ReceiptRefusedException("not-invalid", $"Receipt {invalid.ReceiptNumber} ({invalid.Uuid}) is {invalid.State}; only an Invalid receipt is corrected.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await connection.QuerySingleAsync<(string Source, string Body)>("SELECT source::text, body FROM eta.receipt WHERE id = @invalidId", new { invalidId }, transaction);
        var source = fresh ?? JsonSerializer.Deserialize<ReceiptSource>(stored.Source, EtaJson.Options) ?? throw new InvalidOperationException($"Receipt {invalidId} has no source.");
        var seller = SellerOf(invalid.Store);
        var head = await LockDeviceAsync(connection, transaction, seller.Device);
        // Two corrections at once (an incident's retry and POST /correct): the second finds the first's once it holds the device.
        if (await connection.QuerySingleOrDefaultAsync<long?>("SELECT id FROM eta.receipt WHERE corrects_id = @invalidId", new { invalidId }, transaction) is { } made)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (await GetAsync(made, cancellationToken) ?? throw new InvalidOperationException($"Receipt {made} vanished."), true);
        }

        var reference = invalid.ReferenceUuid;
        if (reference is not null)
        {
            // A return points at the sale's receipt the portal took last: its correction, if the sale was corrected since.
            reference = await connection.QuerySingleOrDefaultAsync<string?>("""
                SELECT s.uuid FROM eta.receipt r JOIN eta.receipt s ON s.company = r.company AND s.document_id = (SELECT document_id FROM eta.receipt WHERE uuid = r.reference_uuid)
                WHERE r.id = @invalidId AND s.state <> 'Invalid' ORDER BY s.id DESC LIMIT 1
                """, new { invalidId }, transaction) ?? reference;
        }

        // A receipt refused on arrival (never submitted) is one the portal never held: there is no old uuid to replace.
        var referenceOld = invalid.RefusedOnArrival ? null : invalid.Uuid;
        var receipt = await InsertAsync(connection, transaction, source, seller, invalid.Store, head, reference, referenceOld, invalid.Id, cancellationToken,
            unchangedFrom: asIs ? null : stored.Body, invalid: invalid);
        await transaction.CommitAsync(cancellationToken);
        EtaReceiptTelemetry.Entered(EtaReceiptStates.Draft, seller.Device);
        return (receipt, false);
    }

    public async Task<EtaReceipt?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EtaReceiptRow>(EtaReceiptRow.Select + " WHERE r.id = @id", new { id });
        return row?.ToReceipt(options.CurrentValue.PortalBaseUrl, withBody: true);
    }

    private sealed record DeviceHead(string Serial, string LastUuid, long Count);

    private static async Task<DeviceHead> LockDeviceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string device)
    {
        const string Lock = "SELECT serial AS Serial, last_uuid AS LastUuid, receipt_count AS Count FROM eta.device WHERE serial = @device FOR UPDATE";
        // The device's row exists from its first receipt on: one round trip then; a new device is added first.
        if (await connection.QuerySingleOrDefaultAsync<DeviceHead>(Lock, new { device }, transaction) is { } head)
        {
            return head;
        }

        await connection.ExecuteAsync("INSERT INTO eta.device (serial) VALUES (@device) ON CONFLICT (serial) DO NOTHING", new { device }, transaction);
        return await connection.QuerySingleAsync<DeviceHead>(Lock, new { device }, transaction);
    }

    /// <summary>Stores the receipt and moves the device's chain head to it, in one statement; answers the stored receipt.</summary>
    private async Task<EtaReceipt> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ReceiptSource source, EtaSellerOptions seller, string store, DeviceHead head,
        string? reference, string? referenceOld, long? correctsId, CancellationToken cancellationToken, string? unchangedFrom = null, EtaReceipt? invalid = null)
    {
        var document = source.Document;
        var issuedAt = Truncate(time.GetUtcNow());
        var receipt = ReceiptBuilder.Build(source, seller, new ReceiptHeaderValues(issuedAt, document.DocNo, head.LastUuid, reference, referenceOld));
        if (unchangedFrom is not null && SameContent(receipt, unchangedFrom))
        {
            var reasons = string.Join("; ", invalid!.Errors.Select(e => $"{e.Code} {e.PropertyPath}: {e.Message}"));
            throw new ReceiptRefusedException("correction-unchanged",
                $"ETA refused receipt {invalid.ReceiptNumber} ({invalid.Uuid}): {reasons}. Rebuilt with today's settings it says the same; fix the seller settings (Connectors:Eta:Sellers) or the document, then retry.");
        }

        var uuid = EtaUuid.Compute(EtaJson.Write(receipt));
        ((JsonObject)receipt["header"]!)["uuid"] = uuid;
        var body = EtaJson.Write(receipt);
        var row = await connection.QuerySingleAsync<EtaReceiptRow>($"""
            WITH r AS (
                INSERT INTO eta.receipt (device, chain_seq, company, document_id, document_no, document_type, receipt_type, receipt_number, uuid,
                    previous_uuid, reference_uuid, reference_old_uuid, corrects_id, store, date_time_issued, total_amount, currency, body, source, trace_parent)
                VALUES (@Device, @Seq, @Company, @DocumentId, @DocNo, @DocType, @ReceiptType, @DocNo, @uuid, @Previous, @reference, @referenceOld,
                    @correctsId, @store, @issuedAt, @Total, @Currency, @body, CAST(@Source AS jsonb), @TraceParent)
                RETURNING *
            ), head AS (
                UPDATE eta.device d SET last_uuid = r.uuid, last_receipt_id = r.id, receipt_count = d.receipt_count + 1 FROM r WHERE d.serial = r.device
            )
            SELECT {EtaReceiptRow.Columns} FROM r
            """,
            new
            {
                Device = head.Serial,
                Seq = head.Count + 1,
                document.Company,
                DocumentId = document.Id,
                document.DocNo,
                document.DocType,
                ReceiptType = document.DocType == ReturnType ? "r" : "s",
                uuid,
                Previous = head.LastUuid,
                reference,
                referenceOld,
                correctsId,
                store,
                issuedAt,
                Total = ReceiptBuilder.TotalAmount(receipt),
                document.Currency,
                body,
                Source = JsonSerializer.Serialize(source, EtaJson.Options),
                TraceParent = System.Diagnostics.Activity.Current?.Id,
            }, transaction);
        cancellationToken.ThrowIfCancellationRequested();
        return row.ToReceipt(options.CurrentValue.PortalBaseUrl, withBody: true);
    }

    /// <summary>A return names the same buyer as its sale (ETA checks it), and its order and payment method unless given.</summary>
    private static ReceiptSource FromSale(ReceiptSource source, string saleBody)
    {
        var sale = JsonNode.Parse(saleBody)!;
        var buyer = sale["buyer"]?.Deserialize<ReceiptBuyer>(EtaJson.Options);
        return source with
        {
            Buyer = buyer ?? source.Buyer,
            OrderName = source.OrderName ?? sale["header"]?["sOrderNameCode"]?.GetValue<string>(),
            PaymentMethod = source.PaymentMethod ?? sale["paymentMethod"]?.GetValue<string>(),
        };
    }

    /// <summary>
    /// Everything but the header's time, number and chain is what a correction may change: the rest of the header counts
    /// (a delivery mode fixed in the seller's settings, a return's reference to its sale's correction).
    /// </summary>
    private static bool SameContent(JsonObject rebuilt, string invalidBody)
    {
        static JsonObject Content(JsonObject receipt)
        {
            if (receipt["header"] is JsonObject header)
            {
                foreach (var chain in (string[])["dateTimeIssued", "receiptNumber", "uuid", "previousUUID", "referenceOldUUID"])
                {
                    header.Remove(chain);
                }
            }

            return receipt;
        }

        return JsonNode.DeepEquals(Content(JsonNode.Parse(invalidBody)!.AsObject()), Content(JsonNode.Parse(EtaJson.Write(rebuilt))!.AsObject()));
    }

    private static DateTimeOffset Truncate(DateTimeOffset now) => new(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
