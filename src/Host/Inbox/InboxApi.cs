namespace Integration.Host.Inbox;

/// <summary><c>/api/inbox</c>: what the stores delivered, for operators.</summary>
internal static class InboxApi
{
    private static readonly string[] Statuses = ["received", "poisoned", "processing", "done", "failed", "ignored", "superseded"];

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
                await inbox.GetAsync(id, cancellationToken) is { } detail
                    ? Results.Ok(detail)
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such delivery", type: "unknown-delivery"))
            .WithName("GetInboxEntry")
            .WithSummary("One stored delivery with its headers and payload.");

        return app;
    }
}
