using System.Security.Claims;
using Integration.Host.Messages;
using Integration.Host.Security;

namespace Integration.Host.Inbox;

/// <summary><c>/api/inbox</c>: what the stores delivered, for operators.</summary>
internal static class InboxApi
{
    private static readonly string[] Statuses = ["received", "poisoned", "done", "failed", "ignored", "superseded"];

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/inbox").WithTags("Inbox");

        group.MapGet("/", async (
                InboxStore inbox,
                string? source,
                string? store,
                string? status,
                string? topic,
                string? subject,
                long? cursor,
                int? limit,
                CancellationToken cancellationToken) =>
            {
                if (status is not null && !Statuses.Contains(status))
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Unknown status",
                        detail: $"status must be one of: {string.Join(", ", Statuses)}",
                        type: "unknown-status");
                }

                var page = await inbox.ListAsync(
                    new InboxQuery(source, store, status, topic, cursor, Math.Clamp(limit ?? 50, 1, 500), subject),
                    cancellationToken);
                return Results.Ok(page);
            })
            .WithName("ListInbox")
            .WithSummary("Lists stored webhook deliveries, newest first (filter by source, store, status, topic, subject such as order:450789469; page with cursor).");

        group.MapGet("/{id:long}", async (InboxStore inbox, long id, CancellationToken cancellationToken) =>
                await inbox.GetAsync(id, cancellationToken) is { } detail ? Results.Ok(detail) : UnknownDelivery())
            .WithName("GetInboxEntry")
            .WithSummary("One stored delivery with its headers and payload.");

        group.MapPost("/{id:long}/dispatch", async (InboxRequeue requeue, InboxStore inbox, ClaimsPrincipal caller, ILoggerFactory loggers, long id, CancellationToken cancellationToken) =>
            {
                var requestedBy = OperatorCaller.Name(caller);
                return await StatusChangeAnswer.Of(await requeue.RequeueAsync(id, requestedBy, cancellationToken), UnknownDelivery,
                    status => Refused($"A {status} delivery is not dispatched again", InboxRequeue.Refusal(status), "not-requeueable"),
                    async status =>
                    {
                        loggers.CreateLogger(typeof(InboxApi)).LogInformation("Inbox {InboxId} ({PreviousStatus}) handed back to the dispatchers by {Caller}", id, status, requestedBy);
                        return Results.Accepted($"/api/inbox/{id}", (await inbox.GetAsync(id, cancellationToken))?.Entry);
                    });
            })
            .WithName("DispatchInboxEntryAgain")
            .WithSummary("Hands a failed, ignored, superseded or done delivery back to the dispatchers (after fixing a flow or publishing a new one); flows that already ran it do not run it again.");

        group.MapPost("/{id:long}/dismiss", async (InboxRequeue requeue, InboxStore inbox, ClaimsPrincipal caller, ILoggerFactory loggers, long id, CancellationToken cancellationToken) =>
            {
                var requestedBy = OperatorCaller.Name(caller);
                return await StatusChangeAnswer.Of(await requeue.DismissAsync(id, requestedBy, cancellationToken), UnknownDelivery,
                    status => Refused($"A {status} delivery is not dismissed", $"only {string.Join(" or ", InboxRequeue.Dismissable)} deliveries are dismissed", "not-dismissable"),
                    async status =>
                    {
                        loggers.CreateLogger(typeof(InboxApi)).LogInformation("Inbox {InboxId} ({PreviousStatus}) dismissed by {Caller}", id, status, requestedBy);
                        return Results.Ok((await inbox.GetAsync(id, cancellationToken))?.Entry);
                    });
            })
            .WithName("DismissInboxEntry")
            .WithSummary("Marks a failed or poisoned delivery ignored, its note saying who dismissed it and what it was: nobody will run it.");

        group.MapPost("/dispatch", async (
                InboxRequeue requeue,
                ClaimsPrincipal caller,
                ILoggerFactory loggers,
                string? status,
                string? source,
                string? store,
                string? topic,
                string? subject,
                int? limit,
                CancellationToken cancellationToken) =>
            {
                if (status is null || !InboxRequeue.Requeueable.Contains(status))
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Which deliveries?",
                        detail: $"status is required and must be one of: {string.Join(", ", InboxRequeue.Requeueable)}",
                        type: "unknown-status");
                }

                var requestedBy = OperatorCaller.Name(caller);
                var take = Math.Clamp(limit ?? 1000, 1, 10_000);
                var requeued = await requeue.RequeueAsync(new InboxQuery(source, store, status, topic, null, take, subject), requestedBy, cancellationToken);
                loggers.CreateLogger(typeof(InboxApi)).LogInformation("{Requeued} {Status} inbox deliveries (source {Source}, store {Store}, topic {Topic}, subject {Subject}) handed back to the dispatchers by {Caller}",
                    requeued, status, source, store, topic, subject, requestedBy);
                return Results.Ok(new { requeued });
            })
            .WithName("DispatchInboxEntriesAgain")
            .WithSummary("Hands every delivery of one status (filter by source, store, topic, subject; oldest first, at most limit, default 1000) back to the dispatchers.");

        return app;
    }

    private static IResult UnknownDelivery() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such delivery", type: "unknown-delivery");

    private static IResult Refused(string title, string detail, string type) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail, type: type);
}
