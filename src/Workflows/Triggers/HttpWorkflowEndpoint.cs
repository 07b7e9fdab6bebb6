using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using Integration.Workflows.Expressions;
using Integration.Workflows.Model;
using Integration.Workflows.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Workflows.Triggers;

/// <summary>
/// <c>/workflows/{path}</c>: starts the flow whose <c>Elsa.HttpEndpoint</c> has that path (segments in braces bind
/// route data, as in <c>orders/{id}</c>) and method, runs it, stores the run, and answers with what its
/// <c>Elsa.WriteHttpResponse</c> wrote. No match is 404; more than one is 500, as in Elsa. An endpoint with
/// <c>authorize: true</c> is for operators (scope <c>policy</c>, default operate); bodies are capped
/// (<c>requestSizeLimit</c>, else <see cref="HttpEndpointOptions.MaxBodyBytes"/>) and calls limited per client address.
/// </summary>
public static class HttpWorkflowEndpoint
{
    public static IEndpointRouteBuilder MapHttpWorkflows(this IEndpointRouteBuilder app)
    {
        app.Map("/workflows/{**path}", HandleAsync).WithTags("Flows").WithName("RunHttpWorkflow")
            .WithSummary("Runs the flow whose HTTP endpoint matches the path and method.")
            .RequireRateLimiting(HttpEndpointOptions.RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, string? path, FlowCatalog catalog, FlowRunner runner, FlowLeases leases)
    {
        var method = http.Request.Method;
        var matches = (from flow in catalog.Active
                       from node in flow.Definition.Root.Children
                       where node.Type == "Elsa.HttpEndpoint"
                       let route = Match(FlowExpression.From(node.Property("path"))?.Value, path ?? "")
                       where route is not null && Methods(node).Contains(method, StringComparer.OrdinalIgnoreCase)
                       select (flow.Definition, flow.Version, node, route)).ToList();
        if (matches.Count == 0)
        {
            var retracted = catalog.Loaded.Where(f => !f.Definition.IsPublished && f.Definition.Root.Children.Any(node => node.Type == "Elsa.HttpEndpoint"
                && Match(FlowExpression.From(node.Property("path"))?.Value, path ?? "") is not null && Methods(node).Contains(method, StringComparer.OrdinalIgnoreCase)))
                .Select(f => f.Definition.DefinitionId).ToList();
            return Results.Problem(statusCode: 404, type: "no-http-workflow", title: retracted.Count == 0
                ? $"No flow answers {method} /workflows/{path}."
                : $"No flow answers {method} /workflows/{path}: {string.Join(", ", retracted)} would, but is retracted (publish it to put it back in service).");
        }

        if (matches.Count > 1)
        {
            return Results.Problem(statusCode: 500, type: "ambiguous-http-workflow",
                title: $"{matches.Count} flows answer {method} /workflows/{path}: {string.Join(", ", matches.Select(m => m.Definition.DefinitionId))}.");
        }

        var (definition, version, endpoint, routeData) = matches[0];
        if (Activities.BuiltIn.HttpEndpointActivity.Policy(endpoint) is { } policy
            && !(await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, policy)).Succeeded)
        {
            return http.User.Identity?.IsAuthenticated == true
                ? Results.Problem(statusCode: 403, type: "forbidden", title: $"{method} /workflows/{path} needs the '{policy}' scope.")
                : Results.Problem(statusCode: 401, type: "unauthorized", title: $"{method} /workflows/{path} is for operators: send an API key or token.");
        }

        JsonNode? body = null;
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<HttpEndpointOptions>>().Value;
            var limit = Activities.BuiltIn.HttpEndpointActivity.RequestSizeLimit(endpoint) ?? options.MaxBodyBytes;
            if (await Http.RequestBody.ReadAtMostAsync(http.Request, limit, options.BodyReadTimeout, http.RequestAborted) is not { } bytes)
            {
                return Results.Problem(statusCode: 413, type: "request-too-large", title: $"{method} /workflows/{path} takes at most {limit} bytes.");
            }

            var text = System.Text.Encoding.UTF8.GetString(bytes);

            try
            {
                body = http.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && text.Length > 0 ? JsonNode.Parse(text) : JsonValue.Create(text);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Results.Problem(statusCode: 400, type: "invalid-json", title: $"The body is not JSON: {ex.Message}");
            }
        }

        var input = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["parsedContent"] = body,
            ["queryStringData"] = http.Request.Query.ToDictionary(q => q.Key, q => (object?)q.Value.ToString()),
            ["routeData"] = routeData,
            // The run's input is stored and shown to read-scope operators: a caller's credentials never go in it.
            ["headers"] = http.Request.Headers.Where(h => !CredentialHeaders.Contains(h.Key)).ToDictionary(h => h.Key, h => (object?)h.Value.ToString()),
        };
        await using (var lease = leases.Begin(definition.DefinitionId, version, $"http:{method} /workflows/{path}"))
        {
            var state = await runner.RunAsync(definition, input, endpoint.Id, lease.CheckpointAsync, http.RequestAborted);
            await lease.SaveAsync(state, http.RequestAborted);
            return Answer(http, state);
        }
    }

    private static IResult Answer(HttpContext http, FlowRunState state)
    {
        http.Response.Headers["X-Workflow-Instance-Id"] = state.InstanceId;
        if (state.Status == FlowRunStatus.Faulted)
        {
            return Results.Problem(statusCode: 500, type: "workflow-faulted", title: state.Incidents.FirstOrDefault()?.Message ?? "The flow faulted.",
                extensions: new Dictionary<string, object?> { ["instanceId"] = state.InstanceId });
        }

        return state.HttpResponse is { } response
            ? Results.Content(response.Content ?? "", response.ContentType ?? "text/plain", statusCode: response.StatusCode)
            : Results.NoContent();
    }

    private static IEnumerable<string> Methods(FlowActivityNode node)
    {
        var value = FlowExpression.From(node.Property("supportedMethods"))?.Value;
        return value is null ? ["GET"]
            : value.TrimStart().StartsWith('[') ? JsonNode.Parse(value)!.AsArray().Select(m => m!.ToString())
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    // "orders/{id}" against "orders/1001" gives {id: "1001"}; null when it does not match.
    private static Dictionary<string, object?>? Match(string? template, string path)
    {
        if (template is null)
        {
            return null;
        }

        var wanted = template.Trim('/').Split('/');
        var actual = path.Trim('/').Split('/');
        if (wanted.Length != actual.Length)
        {
            return null;
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < wanted.Length; i++)
        {
            if (wanted[i].StartsWith('{') && wanted[i].EndsWith('}'))
            {
                values[wanted[i][1..^1]] = Uri.UnescapeDataString(actual[i]);
            }
            else if (!string.Equals(wanted[i], actual[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return values;
    }
}
