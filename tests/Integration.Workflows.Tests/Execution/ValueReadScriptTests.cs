using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using Integration.Workflows.Expressions;

namespace Integration.Workflows.Tests.Execution;

/// <summary>
/// Scripts that only read a value are answered without the JavaScript engine: each answer must be the engine's own,
/// and every other script (or a read the engine would answer differently) must still go to the engine.
/// </summary>
public sealed class ValueReadScriptTests
{
    private const string Variables = """
        [ { "id": "v1", "name": "Order", "typeName": "Object", "value": null },
          { "id": "v2", "name": "settings", "typeName": "Object", "value": null },
          { "id": "v3", "name": "Count", "typeName": "Int32", "value": "0" },
          { "id": "v4", "name": "Label", "typeName": "String", "value": "" },
          { "id": "v5", "name": "Decimal", "typeName": "Object", "value": null } ]
        """;

    private const string Order = """
        { "id": 4501, "big_id": 820982911946154508, "name": "#1001", "test": false, "cancelled_at": null, "total": "12.28", "weight": 1.5,
          "count": 3, "limit": 7500.0000, "rate": 0.140, "customer": { "id": 7001, "email": "bob@example.com", "tags": ["vip"] },
          "line_items": [ { "sku": "A" }, { "sku": "B" } ] }
        """;

    [Theory]
    [InlineData("getOrder()")]
    [InlineData("getOrder().customer.tags")]
    [InlineData("getOrder().weight")]
    [InlineData("getOrder().big_id")]
    [InlineData("getOrder().limit")]
    [InlineData("getOrder().rate")]
    [InlineData("getOutputFrom('read', 'order')")]
    [InlineData("getDecimal()")]
    [InlineData("getOutputFrom('read', 'when')")]
    [InlineData("getOutputFrom('read', 'stamped')")]
    [InlineData("getOrder().name")]
    [InlineData("getOrder().test")]
    [InlineData("getOrder().count")]
    [InlineData("getOrder().cancelled_at")]
    [InlineData("getOrder().missing")]
    [InlineData("getOrder().customer")]
    [InlineData("getOrder().customer.email")]
    [InlineData("getOrder().line_items")]
    [InlineData("getSettings().store")]
    [InlineData("getSettings()")]
    [InlineData("getCount()")]
    [InlineData("getLabel()")]
    [InlineData("getVariable('Order').customer.email")]
    [InlineData("getVariable(\"nope\")")]
    [InlineData("variables.Order.name")]
    [InlineData("variables.settings")]
    [InlineData("getInput('payload').topic")]
    [InlineData("getInput('store')")]
    [InlineData("getInput('absent')")]
    [InlineData("getOutputFrom('read', 'order').customer")]
    [InlineData("getOutputFrom('read', 'prices')")]
    [InlineData("getOutputFrom('read').name")]
    [InlineData("getOutputFrom('missing', 'order')")]
    [InlineData("getLastResult()")]
    [InlineData("  getOrder().name ; ")]
    public void A_read_is_answered_without_the_engine_and_as_the_engine_answers_it(string script)
    {
        using var run = Run();
        Assert.True(ValueReadScript.Of(script)?.TryRead(run, out _), $"{script} is a read");

        var read = run.Evaluate(new FlowExpression("JavaScript", script, null));

        using var engineRun = Run();
        var engine = engineRun.JavaScript.Evaluate(script);
        Assert.Equal(Comparable(engine), Comparable(read));
        if (read is not (null or JsonNode))
        {
            Assert.Equal(engine!.GetType(), read.GetType());
        }
    }

    [Theory]
    [InlineData("getOrder().test === true")]
    [InlineData("getOrder().line_items.length")]
    [InlineData("getOrder().name.length")]
    [InlineData("getOrder()['name']")]
    [InlineData("getOrder()?.name")]
    [InlineData("getOrder().toString")]
    [InlineData("getOrder().total * 2")]
    [InlineData("getSettings().store; getOrder()")]
    [InlineData("getUndeclared()")]
    [InlineData("getVariable(name)")]
    [InlineData("variables")]
    [InlineData("'x'")]
    public void Anything_else_goes_to_the_engine(string script)
    {
        using var run = Run();
        Assert.False(ValueReadScript.Of(script) is { } read && read.TryRead(run, out _), $"{script} is left to the engine");
    }

    [Fact]
    public void A_null_on_the_way_is_left_to_the_engine()
    {
        using var run = Run();
        Assert.NotNull(ValueReadScript.Of("getOrder().cancelled_at.x"));
        Assert.False(ValueReadScript.Of("getOrder().cancelled_at.x")!.TryRead(run, out _));
    }

    [Theory]
    [InlineData("getOrder()")]
    [InlineData("getOutputFrom('read', 'stamped')")]
    [InlineData("getOutputFrom('read', 'prices')")]
    public void The_engine_gets_a_json_document_as_json_parse_gives_it(string read)
    {
        using var run = Run();
        var text = JsonSerializer.Serialize(Comparable(run.Evaluate(new FlowExpression("JavaScript", read, null))));
        var script = $"JSON.stringify({read}) === JSON.stringify(JSON.parse({text}))";

        Assert.Equal(true, run.JavaScript.Evaluate(script));
        Assert.Equal(true, run.JavaScript.Evaluate(
            "Array.isArray(getOrder().line_items) && typeof getOrder().count === 'number' && getOrder().customer.tags[0] === 'vip' && getOrder().cancelled_at === null"));
    }

    [Fact]
    public void A_null_on_the_way_still_raises_the_engines_error()
    {
        using var run = Run();
        Assert.ThrowsAny<Jint.Runtime.JavaScriptException>(() => run.Evaluate(new FlowExpression("JavaScript", "getOrder().cancelled_at.x", null)));
    }

    [Fact]
    public void An_object_read_is_a_copy_the_caller_may_change()
    {
        using var run = Run();
        var customer = Assert.IsAssignableFrom<JsonObject>(run.Evaluate(new FlowExpression("JavaScript", "getOrder().customer", null)));
        customer["email"] = "changed@example.com";
        new JsonObject()["moved"] = customer; // a copy has no parent

        Assert.Equal("bob@example.com", ((JsonNode)run.GetVariable("Order")!)["customer"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public void A_variable_whose_getter_takes_a_built_in_name_is_left_to_the_engine()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart(
            """{ "id": "w", "type": "Elsa.WriteLine", "version": 1, "text": "x" }""", [],
            """[ { "id": "v1", "name": "input", "typeName": "Object", "value": null } ]"""));
        var state = new FlowRunState { Input = { ["store"] = "shop-a" } };
        state.Variables["input"] = "the variable";
        using var run = new FlowRun(definition, state, new FlowServices(FlowTestRuntime.Registry, TimeProvider.System), CancellationToken.None);

        Assert.False(ValueReadScript.Of("getInput('store')")!.TryRead(run, out _));
        Assert.Equal("the variable", run.Evaluate(new FlowExpression("JavaScript", "getInput('store')", null)));
    }

    private static FlowRun Run()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart(
            """{ "id": "read", "type": "Elsa.WriteLine", "version": 1, "text": "x" }""", [], Variables));
        var state = new FlowRunState
        {
            Input = { ["payload"] = JsonNode.Parse("""{ "topic": "orders/create", "id": 7 }"""), ["store"] = "shop-a.myshopify.com" },
        };
        state.Variables["Order"] = JsonNode.Parse(Order);
        state.Variables["settings"] = JsonNode.Parse("""{ "store": "shop-a.myshopify.com", "company": "EG01" }""");
        state.Variables["Count"] = 3L;
        state.Variables["Label"] = "first";
        state.Variables["Decimal"] = 12.50m;
        state.ActivityOutputs["read"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["order"] = JsonNode.Parse(Order), ["when"] = JsonValue.Create(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(2))),
            ["stamped"] = new JsonObject { ["at"] = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), ["id"] = Guid.Empty, ["qty"] = 2.50m },
            ["prices"] = new JsonArray(JsonValue.Create(7500.0000m), JsonValue.Create(1.10m), 3) };
        state.LastResult = JsonNode.Parse("""{ "status": "ok" }""");
        return new FlowRun(definition, state, new FlowServices(FlowTestRuntime.Registry, TimeProvider.System), CancellationToken.None);
    }

    // Objects come back from the engine as CLR dictionaries and from the read as JSON: compared as JSON text (which
    // is also what activities make of them: 7500.0000 is 7500, an id above 2^53 rounded, as JavaScript has it).
    private static string Comparable(object? value) => value switch
    {
        null => "null",
        JsonNode node => node.ToJsonString(),
        _ => JsonSerializer.Serialize(value),
    };
}
