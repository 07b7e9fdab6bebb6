using System.Text;
using System.Text.Json;
using Dapper;
using Integration.Connectors.Eta.Canonical;
using Integration.Connectors.Eta.Issuing;
using Integration.Connectors.Eta.Portal;
using Integration.Connectors.Eta.Receipts;
using Integration.Workflows.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Connectors.Eta.Submission;

/// <summary>
/// Moves receipts through the portal. Submitting: per device, in chain order, in batches within ETA's limits; a batch
/// is marked Submitting (committed) before it is sent, so a receipt whose answer was lost (crash, timeout, 422) is
/// looked up on the portal before anything is sent again: an accepted receipt is never resubmitted. Polling: asks
/// for the verdict of each submission until every receipt is Valid or Invalid.
/// </summary>
public sealed class EtaSubmissions(
    NpgsqlDataSource dataSource, EtaPortalClient portal, IOptionsMonitor<EtaOptions> options, TimeProvider time, ILogger<EtaSubmissions> logger)
{
    public async Task<EtaSubmitSummary> SubmitPendingAsync(CancellationToken cancellationToken)
    {
        var totals = new Tally();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var devices = (await connection.QueryAsync<string>("""
            SELECT DISTINCT device FROM eta.receipt
            WHERE state IN ('Draft', 'Submitting') AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            """, new { now = time.GetUtcNow() })).ToList();
        var refused = new List<EtaPortalException>();
        foreach (var device in devices)
        {
            // One sender per device across hosts: the chain must reach the portal in order.
            if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext('eta.device:' || @device))", new { device }))
            {
                continue;
            }

            try
            {
                await SubmitDeviceAsync(connection, device, totals, cancellationToken);
            }
            catch (EtaPortalException ex) when (ex is not EtaTransientException)
            {
                // Refused on one device (credentials, a device the portal does not know): the others still go out first.
                refused.Add(ex);
            }
            finally
            {
                await SessionLocks.ReleaseAsync(connection, "SELECT pg_advisory_unlock(hashtext('eta.device:' || @device))", new { device });
            }
        }

        if (refused.Count > 0)
        {
            throw refused[0];
        }

        return new EtaSubmitSummary(totals.Submitted, totals.Rejected, totals.Deferred, totals.Recovered, totals.Rechained, totals.Problems);
    }

    public async Task<EtaPollSummary> PollAsync(CancellationToken cancellationToken)
    {
        var totals = new Tally();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var submissions = (await connection.QueryAsync<(string Device, string SubmissionId)>(
            // Submissions already alerted as without a verdict come last: a pile of them never starves the new ones.
            """
            SELECT device, submission_id FROM eta.receipt WHERE state = 'Submitted' AND submission_id IS NOT NULL
            GROUP BY device, submission_id ORDER BY bool_and(verdict_late_alerted_at IS NOT NULL), min(id) LIMIT 200
            """)).ToList();
        foreach (var (device, submissionId) in submissions)
        {
            try
            {
                var status = await portal.GetSubmissionAsync(device, submissionId, cancellationToken);
                foreach (var receipt in status.Receipts)
                {
                    await ApplyVerdictAsync(connection, device, receipt.Uuid, receipt.Status, receipt.LongId, submissionId, receipt.Errors, totals, cancellationToken);
                }
            }
            catch (EtaPortalException ex)
            {
                totals.Problems.Add($"submission {submissionId} ({device}): {ex.Message}");
                logger.LogWarning("ETA status of submission {SubmissionId} on {Device} not read: {Reason}", submissionId, device, ex.Message);
            }
        }

        await PollUnfiledAsync(connection, totals, cancellationToken);
        totals.Pending = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM eta.receipt WHERE state IN ('Draft', 'Submitting', 'Submitted')");
        totals.Late = await RaiseLateAsync(connection, cancellationToken);
        return new EtaPollSummary(totals.Valid, totals.Invalid, totals.Pending, totals.Late, totals.Problems);
    }

    // A receipt found by a lookup whose answer named no submission has none to poll: it is asked about by its uuid.
    private async Task PollUnfiledAsync(NpgsqlConnection connection, Tally totals, CancellationToken cancellationToken)
    {
        var unfiled = (await connection.QueryAsync<(string Device, string Uuid)>(
            "SELECT device, uuid FROM eta.receipt WHERE state = 'Submitted' AND submission_id IS NULL ORDER BY verdict_late_alerted_at IS NOT NULL, id LIMIT 200")).ToList();
        foreach (var (device, uuid) in unfiled)
        {
            try
            {
                if (await portal.FindReceiptAsync(device, uuid, cancellationToken) is { } found)
                {
                    await ApplyVerdictAsync(connection, device, found.Uuid, found.Status, found.LongId, found.SubmissionId, found.Errors, totals, cancellationToken);
                }
            }
            catch (EtaPortalException ex)
            {
                totals.Problems.Add($"receipt {uuid} ({device}): {ex.Message}");
                logger.LogWarning("ETA status of receipt {Uuid} on {Device} not read: {Reason}", uuid, device, ex.Message);
            }
        }
    }

    private async Task SubmitDeviceAsync(NpgsqlConnection connection, string device, Tally totals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unknown = (await connection.QueryAsync<(long Id, string Uuid, DateTime? Next)>(
            "SELECT id, uuid, next_attempt_at FROM eta.receipt WHERE device = @device AND state = 'Submitting' ORDER BY chain_seq", new { device })).ToList();
        if (unknown.Any(u => u.Next is { } next && StoredTime.Utc(next) > now))
        {
            return;
        }

        foreach (var (id, uuid, _) in unknown)
        {
            try
            {
                var found = await portal.FindReceiptAsync(device, uuid, cancellationToken);
                if (found is null)
                {
                    await connection.ExecuteAsync("UPDATE eta.receipt SET state = 'Draft' WHERE id = @id AND state = 'Submitting'", new { id });
                    continue;
                }

                totals.Recovered++;
                var moved = await connection.ExecuteAsync("""
                    UPDATE eta.receipt SET state = 'Submitted', submission_id = coalesce(@SubmissionId, submission_id), long_id = @LongId,
                        submitted_at = coalesce(submitted_at, @now), next_attempt_at = NULL, last_error = NULL
                    WHERE id = @id AND state = 'Submitting'
                    """, new { id, found.SubmissionId, found.LongId, now });
                EtaReceiptTelemetry.Entered(EtaReceiptStates.Submitted, device, moved);
                await ApplyVerdictAsync(connection, device, found.Uuid, found.Status, found.LongId, found.SubmissionId, found.Errors, totals, cancellationToken);
            }
            catch (EtaPortalException ex)
            {
                await DeferAsync(connection, [id], ex, keepState: true);
                totals.Deferred += unknown.Count;
                EtaReceiptTelemetry.Entered(EtaReceiptTelemetry.Deferred, device, unknown.Count);
                totals.Problems.Add($"{device}: {ex.Message}");
                logger.LogWarning("ETA lookup of receipt {Uuid} on {Device} failed; the device's receipts wait: {Reason}", uuid, device, ex.Message);
                if (ex is not EtaTransientException)
                {
                    // Refused (credentials, a device the portal does not know): the device's chain waits on it, so a person must know now.
                    throw;
                }

                return;
            }
        }

        var limits = options.CurrentValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var drafts = (await connection.QueryAsync<(long Id, string Uuid, string Body, DateTime? Next)>("""
                SELECT id, uuid, body, next_attempt_at FROM eta.receipt WHERE device = @device AND state = 'Draft' ORDER BY chain_seq LIMIT @max
                """, new { device, max = limits.MaxReceiptsPerSubmission })).ToList();
            if (drafts.Count == 0 || drafts[0].Next is { } next && StoredTime.Utc(next) > time.GetUtcNow())
            {
                return;
            }

            var batch = new List<(long Id, string Uuid, string Body)>();
            var bytes = 64;
            foreach (var (id, uuid, body, _) in drafts)
            {
                var size = Encoding.UTF8.GetByteCount(body) + 1;
                if (batch.Count > 0 && bytes + size > limits.MaxSubmissionBytes)
                {
                    break;
                }

                batch.Add((id, uuid, body));
                bytes += size;
            }

            // Claimed only while still Draft: a receipt another sender took meanwhile is not sent twice.
            var claimed = (await connection.QueryAsync<long>(
                "UPDATE eta.receipt SET state = 'Submitting', attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL WHERE id = ANY(@ids) AND state = 'Draft' RETURNING id",
                new { ids = batch.Select(b => b.Id).ToArray() })).ToHashSet();
            batch.RemoveAll(b => !claimed.Contains(b.Id));
            if (batch.Count == 0)
            {
                return;
            }

            var ids = batch.Select(b => b.Id).ToArray();
            EtaSubmissionResult result;
            try
            {
                result = await portal.SubmitAsync(device, [.. batch.Select(b => b.Body)], cancellationToken);
            }
            catch (EtaDuplicateSubmissionException ex)
            {
                // The portal has this very body from a send whose answer we lost: the next round looks the receipts up.
                await DeferAsync(connection, ids, ex, keepState: true);
                totals.Deferred += ids.Length;
                EtaReceiptTelemetry.Entered(EtaReceiptTelemetry.Deferred, device, ids.Length);
                return;
            }
            catch (EtaPortalException ex)
            {
                // A throttle, an outage or a WAF page proves the batch was not taken; a timeout, a 500 or a 2xx without an id
                // does not, so those receipts are looked up before anything is sent again.
                await DeferAsync(connection, ids, ex, keepState: !ex.NotTaken);
                totals.Deferred += ids.Length;
                EtaReceiptTelemetry.Entered(EtaReceiptTelemetry.Deferred, device, ids.Length);
                totals.Problems.Add($"{device}: {ex.Message}");
                logger.LogWarning("ETA submission of {Count} receipts from {Device} deferred: {Reason}", ids.Length, device, ex.Message);
                if (ex is not EtaTransientException)
                {
                    throw;
                }

                return;
            }

            await ApplySubmissionAsync(connection, device, batch, result, totals, cancellationToken);
        }
    }

    private async Task ApplySubmissionAsync(
        NpgsqlConnection connection, string device, List<(long Id, string Uuid, string Body)> batch, EtaSubmissionResult result, Tally totals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var submitted = 0;
        var rejected = 0;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var refusedNow = result.Rejected.Where(r => !r.AlreadyHeld).ToList();
        var reissued = refusedNow.Count == 0 ? [] : await EtaChainRepair.RepairAsync(connection, transaction, device, [.. refusedNow.Select(r => r.Uuid)]);
        foreach (var accepted in result.Accepted)
        {
            submitted += await connection.ExecuteAsync("""
                UPDATE eta.receipt SET state = 'Submitted', submission_id = @SubmissionId, long_id = @LongId, submitted_at = @now
                WHERE uuid = @Uuid AND state = 'Submitting'
                """, new { result.SubmissionId, accepted.LongId, accepted.Uuid, now }, transaction);
        }

        foreach (var refused in refusedNow.Where(r => !reissued.Contains(r.Uuid)))
        {
            rejected += await MarkInvalidAsync(connection, transaction, refused.Uuid, result.SubmissionId, refused.Errors, now, onArrival: true);
        }

        // A uuid the portal holds already (sent before, its answer lost, and the lookup came too early to find it) stays
        // Submitting: the next round looks it up again instead of judging it Invalid.
        var held = result.Rejected.Where(r => r.AlreadyHeld).Select(r => r.Uuid).ToArray();
        if (held.Length > 0)
        {
            await connection.ExecuteAsync(
                "UPDATE eta.receipt SET next_attempt_at = @next, last_error = 'the portal holds this uuid already: looked up next round' WHERE uuid = ANY(@held) AND state = 'Submitting'",
                new { held, next = now + options.CurrentValue.RetryDelay }, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        totals.Submitted += submitted;
        totals.Rejected += rejected;
        EtaReceiptTelemetry.Entered(EtaReceiptStates.Submitted, device, submitted);
        EtaReceiptTelemetry.Entered(EtaReceiptTelemetry.Rejected, device, rejected);
        // A receipt in neither list stays Submitting: the next round asks the portal about it before sending it again.
        // One refused only for the chain is a draft again: the device's loop sends it next.
        totals.Rechained += reissued.Count;
    }

    private async Task ApplyVerdictAsync(NpgsqlConnection connection, string device, string uuid, string status, string? longId, string? submissionId, IReadOnlyList<EtaError> errors, Tally totals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (string.Equals(status, EtaReceiptStates.Valid, StringComparison.OrdinalIgnoreCase))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var valid = await MarkValidAsync(connection, transaction, uuid, longId, now);
            await transaction.CommitAsync(cancellationToken);
            totals.Valid += valid;
            EtaReceiptTelemetry.Entered(EtaReceiptStates.Valid, device, valid);
        }
        else if (string.Equals(status, EtaReceiptStates.Invalid, StringComparison.OrdinalIgnoreCase))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var invalid = await MarkInvalidAsync(connection, transaction, uuid, submissionId, errors, now);
            await transaction.CommitAsync(cancellationToken);
            totals.Invalid += invalid;
            EtaReceiptTelemetry.Entered(EtaReceiptStates.Invalid, device, invalid);
        }
    }

    /// <summary>Valid at last: <c>eta.receipt.valid</c> tells the store's flows (e.g. to show the receipt on the order).</summary>
    private async Task<int> MarkValidAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string uuid, string? longId, DateTimeOffset now)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Company, string ReceiptNumber, string DocumentNo, string DocumentType, string Store, DateTime Issued,
            decimal Total, string Rin, string? System, string? SourceStore, string? SourceId, string? LongId)?>("""
            UPDATE eta.receipt SET state = 'Valid', long_id = coalesce(@longId, long_id), decided_at = @now
            WHERE uuid = @uuid AND state IN ('Submitting', 'Submitted')
            RETURNING id, company, receipt_number, document_no, document_type, store, date_time_issued, total_amount, body::jsonb -> 'seller' ->> 'rin',
                source -> 'document' ->> 'sourceSystem', source -> 'document' ->> 'sourceStore', source -> 'document' ->> 'sourceId', long_id
            """, new { uuid, longId, now }, transaction);
        if (row is not { } r)
        {
            return 0;
        }

        var issued = StoredTime.Utc(r.Issued);
        await EtaReceiptEvents.AddAsync(connection, transaction, EtaReceiptEvents.Valid, r.Company, uuid, new
        {
            id = r.Id,
            uuid,
            longId = r.LongId,
            receiptNumber = r.ReceiptNumber,
            documentNo = r.DocumentNo,
            documentType = r.DocumentType,
            store = r.Store,
            source = r.System is null ? null : new { system = r.System, store = r.SourceStore, id = r.SourceId },
            dateTimeIssued = issued,
            totalAmount = EtaAmount.Round(r.Total),
            qr = ReceiptQr.Content(options.CurrentValue.PortalBaseUrl, uuid, issued, EtaAmount.Round(r.Total), r.Rin),
        });
        return 1;
    }

    private static async Task<int> MarkInvalidAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string uuid, string? submissionId, IReadOnlyList<EtaError> errors, DateTimeOffset now, bool onArrival = false)
    {
        var list = errors.Select(e => new EtaReceiptError(e.PropertyPath, e.Code, e.Message)).ToList();
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Company, string ReceiptNumber, long DocumentId, string DocumentNo, string Store)?>("""
            UPDATE eta.receipt SET state = 'Invalid', errors = CAST(@errors AS jsonb), submission_id = coalesce(@submissionId, submission_id), decided_at = @now,
                refused_on_arrival = @onArrival
            WHERE uuid = @uuid AND state IN ('Submitting', 'Submitted')
            RETURNING id, company, receipt_number, document_id, document_no, store
            """, new { uuid, submissionId, now, onArrival, errors = JsonSerializer.Serialize(list, EtaJson.Options) }, transaction);
        if (row is not { } r)
        {
            return 0;
        }

        await EtaReceiptEvents.AddAsync(connection, transaction, EtaReceiptEvents.Invalid, r.Company, uuid, new
        {
            id = r.Id,
            uuid,
            receiptNumber = r.ReceiptNumber,
            documentId = r.DocumentId,
            documentNo = r.DocumentNo,
            store = r.Store,
            errors = list,
            message = string.Join("; ", list.Select(e => $"{e.Code} {e.PropertyPath}: {e.Message}")),
        });
        return 1;
    }

    private async Task DeferAsync(NpgsqlConnection connection, long[] ids, EtaPortalException ex, bool keepState)
    {
        var wait = ex switch
        {
            EtaTransientException t => t.RetryAfter,
            EtaDuplicateSubmissionException d => d.RetryAfter,
            _ => TimeSpan.FromMinutes(5),
        } ?? options.CurrentValue.RetryDelay;
        await connection.ExecuteAsync(
            "UPDATE eta.receipt SET state = CASE WHEN @keepState THEN state ELSE 'Draft' END, next_attempt_at = @next, last_error = @error WHERE id = ANY(@ids)",
            new { ids, keepState, next = time.GetUtcNow() + wait, error = ex.Message });
    }

    private async Task<int> RaiseLateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Not with the portal near the end of ETA's window, or with it and no verdict long after ETA would have given one:
        // each told once, the second also after the first.
        var late = (await connection.QueryAsync<(long Id, string Company, string Uuid, string ReceiptNumber, string DocumentNo, string Device, DateTime Issued, string? LastError, string State, DateTime? Submitted, string? SubmissionId)>("""
            UPDATE eta.receipt
            SET late_alerted_at = CASE WHEN state = 'Submitted' THEN late_alerted_at ELSE @now END,
                verdict_late_alerted_at = CASE WHEN state = 'Submitted' THEN @now ELSE verdict_late_alerted_at END
            WHERE late_alerted_at IS NULL AND state IN ('Draft', 'Submitting') AND date_time_issued < @cutoff
               OR verdict_late_alerted_at IS NULL AND state = 'Submitted' AND submitted_at < @verdictCutoff
            RETURNING id, company, uuid, receipt_number, document_no, device, date_time_issued, last_error, state, submitted_at, submission_id
            """, new { now, cutoff = now - options.CurrentValue.LateAfter, verdictCutoff = now - options.CurrentValue.VerdictLateAfter }, transaction)).ToList();
        foreach (var r in late)
        {
            var issued = StoredTime.Utc(r.Issued);
            var message = r.State == EtaReceiptStates.Submitted
                ? $"ETA receipt {r.ReceiptNumber} ({r.Uuid}) submitted {StoredTime.Utc(r.Submitted):u} on {r.Device} (submission {r.SubmissionId ?? "unknown"}) has no verdict yet; the portal may have cancelled it, or its submission's details cannot be read. Look it up on the portal."
                : $"ETA receipt {r.ReceiptNumber} ({r.Uuid}) issued {issued:u} on {r.Device} is still not submitted; ETA takes receipts up to 24 hours after issue. Last error: {r.LastError ?? "none"}.";
            await EtaReceiptEvents.AddAsync(connection, transaction, EtaReceiptEvents.Late, r.Company, r.Uuid, new
            {
                id = r.Id,
                uuid = r.Uuid,
                receiptNumber = r.ReceiptNumber,
                documentNo = r.DocumentNo,
                device = r.Device,
                dateTimeIssued = issued,
                lastError = r.LastError,
                state = r.State,
                message,
            });
            logger.LogError("ETA receipt {ReceiptNumber} issued {Issued} on {Device} is late: {State}", r.ReceiptNumber, issued, r.Device, r.State);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var device in late.GroupBy(r => r.Device))
        {
            EtaReceiptTelemetry.Entered(EtaReceiptTelemetry.Late, device.Key, device.Count());
        }

        return late.Count;
    }

    private sealed class Tally
    {
        public int Submitted;
        public int Rejected;
        public int Deferred;
        public int Recovered;
        public int Rechained;
        public int Valid;
        public int Invalid;
        public int Pending;
        public int Late;
        public List<string> Problems { get; } = [];
    }
}
