using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Workflows.Model;

namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Elsa.FlowSendHttpRequest</c> and <c>Elsa.SendHttpRequest</c>: call <c>url</c> with <c>method</c>, <c>content</c>,
/// <c>contentType</c>, <c>authorization</c> and <c>requestHeaders</c>; outputs <c>statusCode</c>, <c>parsedContent</c>
/// (JSON parsed when the answer is JSON) and <c>responseHeaders</c>. The flowchart form follows the port named after
/// the status code when it is one of <c>expectedStatusCodes</c> (default 200), else <c>Unmatched status code</c>, or
/// <c>Failed to connect</c> / <c>Timeout</c>; the embedded form runs the matching case's activity. A call is an
/// external effect: a durable run commits right after it.
/// </summary>
internal sealed class SendHttpRequestActivity(string typeName, bool flowchart) : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new(typeName, "HTTP", flowchart ? "HTTP Request (flow)" : "HTTP Request",
        [new InputDescriptor("url", "Uri", true), new InputDescriptor("method", "String", UiHint: "dropdown"), new InputDescriptor("content", "Object", UiHint: "multiline"),
         new InputDescriptor("contentType", "String"), new InputDescriptor("authorization", "String"), new InputDescriptor("requestHeaders", "HttpHeaders", UiHint: "json-editor"),
         new InputDescriptor("expectedStatusCodes", flowchart ? "Int32[]" : "Cases", UiHint: flowchart ? "multi-text" : "http-status-codes")],
        [new OutputDescriptor("statusCode", "Int32"), new OutputDescriptor("parsedContent", "Object"), new OutputDescriptor("responseHeaders", "Object"), new OutputDescriptor("result", "Object")],
        flowchart ? ["Unmatched status code", "Failed to connect", "Timeout", "Done"] : ["Done"], HasDynamicPorts: flowchart, HasExternalEffect: true);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Input<string>("method") ?? "GET"), context.Input<string>("url"));
        if (context.InputValue("content") is { } content)
        {
            var text = content is string s ? s : content is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(content);
            request.Content = new StringContent(text, Encoding.UTF8, context.Input<string>("contentType") ?? "application/json");
        }

        if (context.Input<string>("authorization") is { Length: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (context.InputValue("requestHeaders") is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value?.ToString());
            }
        }

        // Only the runtime's "flows" client, behind the host allow-list: a runtime without it calls out nowhere.
        var client = (context.Services?.GetService(typeof(IHttpClientFactory)) as IHttpClientFactory)?.CreateClient("flows")
            ?? throw new InvalidOperationException("This flow runtime has no 'flows' HTTP client (AddFlowRuntime registers it): no flow may call out.");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, context.CancellationToken);
        }
        catch (HttpRequestException) when (flowchart || context.Node.Embedded.ContainsKey("failedToConnect"))
        {
            return await Branch(context, "Failed to connect", "failedToConnect");
        }
        catch (TaskCanceledException) when (!context.CancellationToken.IsCancellationRequested && (flowchart || context.Node.Embedded.ContainsKey("timeout")))
        {
            return await Branch(context, "Timeout", "timeout");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
            object? parsed = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true && body.Length > 0 ? JsonNode.Parse(body) : body;
            var status = (int)response.StatusCode;
            context.SetOutput("statusCode", status);
            context.SetOutput("parsedContent", parsed);
            context.SetOutput("responseHeaders", Headers(response.Headers, response.Content.Headers));
            context.SetOutput("result", parsed);
            return flowchart ? FlowOutcome(context, status) : await EmbeddedOutcome(context, status);
        }
    }

    private static ActivityResult FlowOutcome(ActivityContext context, int status)
    {
        var expected = context.InputValue("expectedStatusCodes") switch
        {
            JsonArray array => array.Select(c => int.Parse(c!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            string s when s.TrimStart().StartsWith('[') => [.. JsonNode.Parse(s)!.AsArray().Select(c => (int)c!)],
            string s => [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))],
            _ => [200],
        };
        return new ActivityResult([expected.Contains(status) ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Unmatched status code", "Done"]);
    }

    private async ValueTask<ActivityResult> EmbeddedOutcome(ActivityContext context, int status)
    {
        var cases = context.Node.Property("expectedStatusCodes") as JsonArray ?? [];
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i]?["statusCode"]?.GetValue<int>() == status)
            {
                return context.Node.Embedded.TryGetValue($"expectedStatusCodes[{i}]", out var activity) ? await Run(context, activity) : ActivityResult.Done;
            }
        }

        return await Branch(context, "Unmatched status code", "unmatchedStatusCode");
    }

    private async ValueTask<ActivityResult> Branch(ActivityContext context, string port, string embedded) =>
        flowchart ? ActivityResult.Outcome(port)
        : context.Node.Embedded.TryGetValue(embedded, out var activity) ? await Run(context, activity) : ActivityResult.Done;

    private static async ValueTask<ActivityResult> Run(ActivityContext context, FlowActivityNode activity)
    {
        var result = await context.RunEmbeddedAsync(activity);
        return result.Bookmark is not null || result.CompletesWorkflow ? result : ActivityResult.Done;
    }

    private static JsonObject Headers(HttpResponseHeaders headers, HttpContentHeaders content)
    {
        var result = new JsonObject();
        foreach (var (name, values) in headers.Concat(content))
        {
            result[name] = string.Join(", ", values);
        }

        return result;
    }
}
