using System.IO.Compression;
using System.Text.Json.Nodes;
using Integration.Designer.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.ElsaApi;

/// <summary>
/// Run export as Studio offers it (Elsa's <c>/workflow-instances/{id}/export</c> and the bulk export): one JSON file
/// per run with its state, bookmarks, activity executions and journal (Elsa's <c>ExportedWorkflowState</c>), plus its
/// variables; several runs download as a zip.
/// </summary>
internal static class ElsaInstanceExportApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapMethods("/workflow-instances/{id}/export", ["GET", "POST"], async (string id, StudioRuns runs, CancellationToken ct) =>
            await runs.FindAsync(id, ct) is { } run
                ? Results.File(Serialize(run), "application/json", FileName(run))
                : Results.Problem(statusCode: 404, type: "unknown-run", title: $"No run {id}."))
            .RequireAuthorization(DesignerRegistration.ReadPolicy);

        api.MapMethods("/bulk-actions/export/workflow-instances", ["GET", "POST"], async (HttpRequest request, StudioRuns runs, CancellationToken ct) =>
        {
            var ask = await StudioRequest.ReadAsync(request, ct);
            var ids = ask.Strings("ids").Concat(ask.String("id") is { Length: > 0 } one ? [one] : []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (ids.Count > MaxRunsPerExport)
            {
                // Built in memory: a page of the run list at a time, not the whole history in one request.
                return Results.Problem(statusCode: 400, type: "export-too-large", title: $"{ids.Count} runs asked for; export at most {MaxRunsPerExport} at a time.");
            }

            var found = new List<StudioRuns.Run>();
            foreach (var id in ids)
            {
                if (await runs.FindAsync(id, ct) is { } run)
                {
                    found.Add(run);
                }
            }

            switch (found.Count)
            {
                case 0:
                    return Results.NoContent();
                case 1:
                    return Results.File(Serialize(found[0]), "application/json", FileName(found[0]));
            }

            var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var run in found)
                {
                    await using var entry = archive.CreateEntry(FileName(run), CompressionLevel.Optimal).Open();
                    await entry.WriteAsync(Serialize(run), ct);
                }
            }

            return Results.File(zip.ToArray(), "application/zip", "workflow-instances.zip");
        }).RequireAuthorization(DesignerRegistration.ReadPolicy);
    }

    private const int MaxRunsPerExport = 500;

    /// <summary>One run as Elsa exports it, with its variables alongside.</summary>
    public static JsonObject Export(StudioRuns.Run run) => new()
    {
        ["workflowState"] = StudioRuns.Instance(run)["workflowState"]!.DeepClone(),
        ["bookmarks"] = StudioRuns.Instance(run)["workflowState"]!["bookmarks"]!.DeepClone(),
        ["activityExecutionRecords"] = new JsonArray([.. StudioRuns.Executions(run)]),
        ["workflowExecutionLogRecords"] = new JsonArray([.. StudioRuns.Log(run)]),
        ["variables"] = StudioRuns.Variables(run),
    };

    private static byte[] Serialize(StudioRuns.Run run) => System.Text.Encoding.UTF8.GetBytes(Export(run).ToJsonString());

    private static string FileName(StudioRuns.Run run) => $"workflow-instance-{run.Id.ToLowerInvariant()}.json";
}
