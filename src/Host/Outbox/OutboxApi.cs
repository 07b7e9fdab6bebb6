using System.Security.Claims;
using Integration.Host.Messages;
using Integration.Host.Security;

namespace Integration.Host.Outbox;

/// <summary><c>/api/outbox</c>: the ERP's events for the flows (stock, items, prices, invoices...), for operators.</summary>
internal static class OutboxApi
{
    private static readonly string[] Statuses = ["pending", "done", "failed"];

    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/outbox").WithTags("ERP events");

        group.MapGet("/", async (
                OutboxStore outbox,
                string? status,
                string? topic,
                string? company,
                string? entityKey,
                long? cursor,
                int? limit,
                CancellationToken cancellationToken) =>
                status is not null && !Statuses.Contains(status)
                    ? UnknownStatus($"status must be one of: {string.Join(", ", Statuses)}")
                    : Results.Ok(await outbox.ListAsync(new OutboxQuery(status, topic, company, entityKey, cursor, Math.Clamp(limit ?? 50, 1, 500)), cancellationToken)))
            .WithName("ListOutbox")
            .WithSummary("Lists ERP events, newest first (filter by status, topic such as erp.stock.changed, company, entityKey; page with cursor).");

        group.MapGet("/{id:long}", async (OutboxStore outbox, long id, CancellationToken cancellationToken) =>
                await outbox.GetAsync(id, cancellationToken) is { } detail ? Results.Ok(detail) : UnknownEvent())
            .WithName("GetOutboxEntry")
            .WithSummary("One ERP event with its payload and the runs it started.");

        group.MapPost("/{id:long}/dispatch", async (OutboxRequeue requeue, OutboxStore outbox, ClaimsPrincipal caller, ILoggerFactory loggers, long id, CancellationToken cancellationToken) =>
            {
                var requestedBy = OperatorCaller.Name(caller);
                return await StatusChangeAnswer.Of(await requeue.RequeueAsync(id, requestedBy, cancellationToken), UnknownEvent,
                    status => Refused($"A {status} event is not dispatched again", $"the event is {status}: it is waiting for a dispatcher already", "not-requeueable"),
                    async status =>
                    {
                        loggers.CreateLogger(typeof(OutboxApi)).LogInformation("Outbox {OutboxId} ({PreviousStatus}) handed back to the dispatchers by {Caller}", id, status, requestedBy);
                        return Results.Accepted($"/api/outbox/{id}", (await outbox.GetAsync(id, cancellationToken))?.Entry);
                    });
            })
            .WithName("DispatchOutboxEntryAgain")
            .WithSummary("Hands a failed or done ERP event back to the dispatchers (after fixing a flow's filter or publishing a new flow); flows that already ran it do not run it again.");

        group.MapPost("/{id:long}/dismiss", async (OutboxRequeue requeue, OutboxStore outbox, ClaimsPrincipal caller, ILoggerFactory loggers, long id, CancellationToken cancellationToken) =>
            {
                var requestedBy = OperatorCaller.Name(caller);
                return await StatusChangeAnswer.Of(await requeue.DismissAsync(id, requestedBy, cancellationToken), UnknownEvent,
                    status => Refused($"A {status} event is not dismissed", "only failed events are dismissed", "not-dismissable"),
                    async status =>
                    {
                        loggers.CreateLogger(typeof(OutboxApi)).LogInformation("Outbox {OutboxId} ({PreviousStatus}) dismissed by {Caller}", id, status, requestedBy);
                        return Results.Ok((await outbox.GetAsync(id, cancellationToken))?.Entry);
                    });
            })
            .WithName("DismissOutboxEntry")
            .WithSummary("Marks a failed ERP event done without running it, its note saying who dismissed it and what it was.");

        group.MapPost("/dispatch", async (
                OutboxRequeue requeue,
                ClaimsPrincipal caller,
                ILoggerFactory loggers,
                string? status,
                string? topic,
                string? company,
                string? entityKey,
                int? limit,
                CancellationToken cancellationToken) =>
            {
                if (status is null || !OutboxRequeue.Requeueable.Contains(status))
                {
                    return UnknownStatus($"status is required and must be one of: {string.Join(", ", OutboxRequeue.Requeueable)}");
                }

                var requestedBy = OperatorCaller.Name(caller);
                var requeued = await requeue.RequeueAsync(new OutboxQuery(status, topic, company, entityKey, null, Math.Clamp(limit ?? 1000, 1, 10_000)), requestedBy, cancellationToken);
                loggers.CreateLogger(typeof(OutboxApi)).LogInformation("{Requeued} {Status} ERP events (topic {Topic}, company {Company}, entity {EntityKey}) handed back to the dispatchers by {Caller}",
                    requeued, status, topic, company, entityKey, requestedBy);
                return Results.Ok(new { requeued });
            })
            .WithName("DispatchOutboxEntriesAgain")
            .WithSummary("Hands every ERP event of one status (filter by topic, company, entityKey; oldest first, at most limit, default 1000) back to the dispatchers.");

        return app;
    }

    private static IResult UnknownStatus(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown status", detail: detail, type: "unknown-status");

    private static IResult Refused(string title, string detail, string type) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, type: type);

    private static IResult UnknownEvent() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such ERP event", type: "unknown-event");
}
