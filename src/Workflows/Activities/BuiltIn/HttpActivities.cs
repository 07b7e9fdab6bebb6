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

    private static readonly string[] Policies = ["read", "operate", "admin"];

    // Who may call an endpoint is decided when the flow loads, never by an expression at call time (which could open it).
    public override IEnumerable<(string Input, string Message)> Validate(Model.FlowActivityNode node)
    {
        if (node.Property("authorize") is { } authorize && Expressions.FlowExpression.From(authorize) is { } given && !string.IsNullOrEmpty(given.Value)
            && (given.Type != "Literal" || !bool.TryParse(given.Value, out _)))
        {
            yield return ("authorize", "authorize is true or false, written as such (not an expression)");
        }

        if (node.Property("policy") is { } policy && Expressions.FlowExpression.From(policy) is { Value: { Length: > 0 } scope } named
            && (named.Type != "Literal" || !Policies.Contains(scope, StringComparer.OrdinalIgnoreCase)))
        {
            yield return ("policy", "policy is one of read, operate or admin, written as such");
        }

        if (node.Property("requestSizeLimit") is { } limit && Expressions.FlowExpression.From(limit) is { Value: { Length: > 0 } } size
            && (size.Type != "Literal"
                || !long.TryParse(size.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) || bytes <= 0))
        {
            yield return ("requestSizeLimit", "requestSizeLimit is a number of bytes above 0, written as such");
        }
    }

    /// <summary>Elsa's authorize and policy: the scope an endpoint for operators only needs (operate unless it names another); null when public.</summary>
    internal static string? Policy(Model.FlowActivityNode node) =>
        bool.TryParse(Expressions.FlowExpression.From(node.Property("authorize"))?.Value, out var authorize) && authorize
            ? Expressions.FlowExpression.From(node.Property("policy"))?.Value is { Length: > 0 } policy ? policy.ToLowerInvariant() : "operate"
            : null;

    /// <summary>The endpoint's own body limit in bytes, if it sets one.</summary>
    internal static long? RequestSizeLimit(Model.FlowActivityNode node) =>
        long.TryParse(Expressions.FlowExpression.From(node.Property("requestSizeLimit"))?.Value, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : null;

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
