namespace Integration.Workflows.Activities.BuiltIn;

/// <summary>
/// <c>Elsa.RunJavaScript</c>: runs <c>script</c>; its value is the output <c>result</c>. <c>setOutcome(x)</c> or
/// <c>setOutcomes([..])</c> choose the ports (declared in <c>possibleOutcomes</c>); otherwise <c>Done</c>.
/// </summary>
internal sealed class RunJavaScriptActivity : FlowActivity
{
    public override ActivityDescriptor Descriptor { get; } = new("Elsa.RunJavaScript", "Scripting", "Run JavaScript",
        [new InputDescriptor("script", "String", true, "code-editor"), new InputDescriptor("possibleOutcomes", "String[]")],
        [new OutputDescriptor("result", "Object")], ["Done"], HasDynamicPorts: true);

    public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var outcomes = new List<string>();
        var javaScript = context.Run.JavaScript;
        javaScript.SetGlobal("setOutcome", new Action<string>(outcomes.Add));
        javaScript.SetGlobal("setOutcomes", new Action<object[]>(values => outcomes.AddRange(values.Select(v => v?.ToString() ?? ""))));
        // The script is the input's expression value itself, whatever its declared expression type.
        var script = Expressions.FlowExpression.From(context.Node.Property("script"))?.Value ?? "";
        context.SetOutput("result", javaScript.Evaluate(script));
        return ValueTask.FromResult(outcomes.Count > 0 ? new ActivityResult(outcomes) : ActivityResult.Done);
    }
}
