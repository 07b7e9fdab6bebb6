using System.Text.Json.Nodes;
using Integration.Workflows.Triggers;

namespace Integration.Workflows.Tests.Triggers;

public sealed class TriggerFilterTests
{
    private const string ItemUpdated = """{ "sku": "MUG-WHT", "templateSku": null, "status": "Active", "change": "updated", "fields": ["name", "barcodes"], "qty": 12, "source": { "system": "erp" } }""";

    [Theory]
    [InlineData("""{ "change": "updated" }""", true)]
    [InlineData("""{ "change": "status" }""", false)]
    [InlineData("""{ "change": ["created", "updated"] }""", true)]
    [InlineData("""{ "change": ["created", "status"] }""", false)]
    [InlineData("""{ "change": "updated", "status": "On hold" }""", false)] // every field must match
    [InlineData("""{ "source.system": "erp" }""", true)]
    [InlineData("""{ "source.system": "shopify" }""", false)]
    [InlineData("""{ "fields": "barcodes" }""", true)] // a list in the payload matches when one of its items does
    [InlineData("""{ "fields": ["price", "description"] }""", false)]
    [InlineData("""{ "templateSku": null }""", true)]
    [InlineData("""{ "missing.field": null }""", true)]
    [InlineData("""{ "sku": null }""", false)]
    [InlineData("""{ "qty": 12 }""", true)]
    [InlineData("""{ "qty": "12" }""", true)] // an id may come as text or as a number
    [InlineData("""{ "qty": 12.5 }""", false)]
    [InlineData("""{ "change": "UPDATED" }""", false)] // values are compared exactly
    [InlineData("""{ "$company": "EG01", "$topic": "erp.item.changed" }""", true)]
    [InlineData("""{ "$company": "EG02" }""", false)]
    public void A_declarative_match_takes_the_events_whose_fields_have_the_values_it_names(string match, bool expected)
    {
        var filter = TriggerFilter.Parse(JsonNode.Parse(match));

        Assert.Equal(expected, filter.Matches(Event(ItemUpdated)));
    }

    [Theory]
    [InlineData("getInput('payload').change === 'updated' && getInput('payload').fields.indexOf('name') >= 0", true)]
    [InlineData("payload.change === 'status'", false)]
    [InlineData("getInput('company') === 'EG01' && getInput('entityKey') === 'MUG-WHT'", true)]
    [InlineData("payload.qty > 20", false)]
    [InlineData("payload.qty", true)] // truthy, as JavaScript decides
    [InlineData("''", false)]
    public void A_javascript_filter_takes_the_events_for_which_it_is_truthy(string script, bool expected)
    {
        var filter = TriggerFilter.Parse(new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } });

        Assert.Equal(expected, filter.Matches(Event(ItemUpdated)));
    }

    [Fact]
    public void No_filter_takes_every_event()
    {
        Assert.True(TriggerFilter.Parse(null).Matches(Event(ItemUpdated)));
        Assert.True(TriggerFilter.Parse(JsonNode.Parse("""{ "typeName": "Object" }""")).Matches(Event("{}")));
    }

    [Fact]
    public void A_javascript_filter_that_misses_its_time_on_a_busy_machine_is_given_more_time_before_it_counts_as_failed()
    {
        var filter = TriggerFilter.Parse(new JsonObject
        {
            ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "var n = 0; for (var i = 0; i < 2000; i++) { n += i; } n > 0 && payload.change === 'updated'" },
        });

        // A tick is too short for the loop (as a second is when the host is starved of CPU); the second try has room.
        Assert.True(filter.Matches(Event(ItemUpdated), null, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(10)));
        var error = Assert.Throws<EventFilterException>(() => filter.Matches(Event(ItemUpdated), null, TimeSpan.FromTicks(1), TimeSpan.FromTicks(1)));
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public void A_javascript_filter_that_fails_on_an_event_says_why_instead_of_dropping_it()
    {
        var filter = TriggerFilter.Parse(new JsonObject { ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "payload.price.amount > 0" } });

        var error = Assert.Throws<EventFilterException>(() => filter.Matches(Event(ItemUpdated)));
        Assert.Contains("JavaScript filter failed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "change": { "in": ["a"] } }""", "$.root.activities[0].filter.change", "must be matched by a value")]
    [InlineData("""{ "change": [] }""", "$.root.activities[0].filter.change", "lists no value")]
    [InlineData("""{ "a..b": 1 }""", "$.root.activities[0].filter.a..b", "is not a field path")]
    [InlineData("""{ "$store": "x" }""", "$.root.activities[0].filter.$store", "is not a field path")]
    [InlineData("""{ "typeName": "Object", "expression": { "type": "Object", "value": "{\"change\": [[1]]}" } }""", "$.root.activities[0].filter.expression.value.change", "must be matched by a value")]
    [InlineData("""{ "typeName": "Object", "expression": { "type": "Object", "value": "{}" } }""", "$.root.activities[0].filter.expression.value", "names no field")]
    [InlineData("""{ "typeName": "Object", "expression": { "type": "Literal", "value": "updated" } }""", "$.root.activities[0].filter.expression.value", "must be a JSON object")]
    [InlineData("""{ "typeName": "Object", "expression": { "type": "Liquid", "value": "{{ x }}" } }""", "$.root.activities[0].filter.expression.type", "not Liquid")]
    [InlineData("""{ "typeName": "Object", "expression": { "type": "Object", "value": "{ nope" } }""", "$.root.activities[0].filter.expression.value", "Object expression does not parse")]
    [InlineData("""{ "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "payload.change ===" } }""", "$.root.activities[0].filter.expression.value", "JavaScript expression does not parse")]
    public void A_flow_with_an_invalid_event_filter_is_refused_with_file_path_and_reason(string filter, string path, string reason)
    {
        var activity = $$"""{ "id": "changed", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed", "filter": {{filter}}, "customProperties": { "canStartWorkflow": true } }""";

        var result = FlowTestRuntime.Loader.Load(FlowTestRuntime.Flowchart(activity, []), "flows/filtered.json");

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("flows/filtered.json", problem.File);
        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_with_a_valid_filter_loads_and_its_trigger_carries_it()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "changed", "type": "Elsa.Event", "version": 1, "eventName": "erp.item.changed", "filter": { "change": ["created", "status"] }, "customProperties": { "canStartWorkflow": true } },
            { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": "changed" }
            """, ["changed->say"]));

        var filter = TriggerFilter.Of(definition.Root.Children[0]);

        Assert.False(filter.Matches(Event(ItemUpdated)));
        Assert.True(filter.Matches(Event("""{ "sku": "MUG-WHT", "change": "status", "status": "On hold" }""")));
        Assert.Same(filter, TriggerFilter.Of(definition.Root.Children[0]));
    }

    private static Dictionary<string, object?> Event(string payload) => new(StringComparer.Ordinal)
    {
        ["payload"] = JsonNode.Parse(payload),
        ["topic"] = "erp.item.changed",
        ["company"] = "EG01",
        ["entityKey"] = "MUG-WHT",
        ["outboxId"] = 42L,
    };
}
