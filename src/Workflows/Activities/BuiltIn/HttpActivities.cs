namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Elsa.HttpEndpoint</c>: starts a flow on an HTTP request to <c>/workflows/{path}</c>; its outputs are the parsed
/// body, query, route data and headers of the request that started the run (its input).
/// </summary>
internal sealed class HttpEndpointActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.HttpEndpoint", "HTTP", "HTTP Endpoint",
        [new InputDescriptor("path", "String", true), new InputDescriptor("supportedMethods", "String[]", false, "check-list"),
         new InputDescriptor("authorize", "Boolean", UiHint: "checkbox", Description: "Only operators may call it (an API key or token with the policy's scope)."),
         new InputDescriptor("policy", "String", Description: "The scope an authorized caller needs: read, operate (default) or admin."),
         new InputDescriptor("requestSizeLimit", "Int64", Description: "The largest body in bytes (default Flows:Endpoints:MaxBodyBytes).")],
        [new OutputDescriptor("parsedContent", "Object"), new OutputDescriptor("queryStringData", "Object"), new OutputDescriptor("routeData", "Object"), new OutputDescriptor("headers", "Object")],
        ["Done"], IsTrigger: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        foreach (var name in new[] { "parsedContent", "queryStringData", "routeData", "headers" })
        {
            context.SetOutput(name, context.State.Input.GetValueOrDefault(name));
        }

        return ValueTask.FromResult(ActivityResult.Done);
    }
}

/// <summary><c>Elsa.WriteHttpResponse</c>: the answer to the request that started the flow.</summary>
internal sealed class WriteHttpResponseActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.WriteHttpResponse", "HTTP", "HTTP Response",
        [new InputDescriptor("statusCode", "HttpStatusCode"), new InputDescriptor("content", "Object", false, "multiline"), new InputDescriptor("contentType", "String")], [], ["Done"]);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var status = context.InputValue("statusCode") switch
        {
            null => 200,
            string s when int.TryParse(s, out var code) => code,
            string s when Enum.TryParse<System.Net.HttpStatusCode>(s, true, out var named) => (int)named,
            var other => Execution.FlowRun.Convert<int>(other),
        };
        context.State.HttpResponse = new Execution.HttpResponseRecord(status, context.Input<string>("content"), context.Input<string>("contentType") ?? "text/plain");
        return ValueTask.FromResult(ActivityResult.Done);
    }
}
