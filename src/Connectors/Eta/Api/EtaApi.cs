using Integration.Connectors.Eta.Issuing;
using Integration.Connectors.Eta.Receipts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Connectors.Eta.Api;

/// <summary><c>/api/eta/...</c>: the receipts with their state and ETA's errors, corrections, and the chain check.</summary>
public static class EtaApi
{
    public static IEndpointRouteBuilder MapEtaApi(this IEndpointRouteBuilder app)
    {
        var eta = app.MapGroup("/api/eta").WithTags("ETA e-receipts");
        eta.MapGet("/receipts", async (EtaReceiptBook book, string? state, string? device, string? company, long? documentId, string? documentNo, string? uuid,
            int? page, int? pageSize, CancellationToken ct) =>
        {
            var query = new EtaReceiptQuery(state, device, company, documentId, documentNo, uuid, page ?? 1, pageSize ?? 50);
            var (receipts, total) = await book.ListAsync(query, ct);
            return Results.Ok(new { items = receipts, total, page = query.Page, pageSize = query.PageSize });
        }).WithName("ListEtaReceipts").WithSummary("Receipts, newest first; filter by state (Draft, Submitting, Submitted, Valid, Invalid), device, company, documentId, documentNo or uuid.");

        eta.MapGet("/receipts/{id:long}", async (EtaReceiptRegister register, long id, CancellationToken ct) =>
            await register.GetAsync(id, ct) is { } receipt ? Results.Ok(receipt) : NotFound(id))
            .WithName("GetEtaReceipt").WithSummary("One receipt with the JSON sent, ETA's errors and the QR content.");

        eta.MapPost("/receipts/{id:long}/correct", async (EtaReceiptRegister register, long id, bool? asIs, CancellationToken ct) =>
        {
            try
            {
                var (receipt, existed) = await register.CorrectAsync(id, null, ct, asIs ?? false);
                return existed ? Results.Ok(receipt) : Results.Created($"/api/eta/receipts/{receipt.Id}", receipt);
            }
            catch (KeyNotFoundException)
            {
                return NotFound(id);
            }
            catch (ReceiptRefusedException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: ex.Code, type: "https://integration-host/problems/eta-" + ex.Code);
            }
        }).WithName("CorrectEtaReceipt").WithSummary("Issues the correction of an Invalid receipt (referenceOldUUID) with today's seller settings; asIs=true issues it even when it says what the Invalid one said (ETA refused only what issuing again renews: the issue time, the chain, a reference).");

        eta.MapGet("/devices/{serial}/chain", async (EtaReceiptBook book, string serial, CancellationToken ct) => Results.Ok(await book.VerifyChainAsync(serial, ct)))
            .WithName("VerifyEtaChain").WithSummary("Walks a POS device's receipt chain and reports any break.");
        return app;
    }

    private static IResult NotFound(long id) =>
        Results.Problem($"No ETA receipt {id}.", statusCode: StatusCodes.Status404NotFound, title: "not-found", type: "https://integration-host/problems/not-found");
}
