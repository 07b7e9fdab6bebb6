namespace Integration.Workflows.Tests.Loading;

public sealed class VariableStorageTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core", false)]
    [InlineData("Elsa.Workflows.Services.WorkflowStorageDriver, Elsa.Workflows.Core", false)] // deprecated in Elsa 3.3, still read
    [InlineData("Workflow", false)] // as earlier versions of this designer wrote it
    [InlineData("Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core", true)]
    [InlineData("Elsa.Workflows.Services.MemoryStorageDriver, Elsa.Workflows.Core", true)] // Elsa 3.0 to 3.2
    [InlineData("MemoryStorageDriver", true)] // Elsa 3.8's alias
    public void A_variable_names_where_it_lives_as_Elsa_names_its_storage_drivers(string? driver, bool inMemory)
    {
        var definition = FlowTestRuntime.Load(Flow(driver));

        var variable = Assert.Single(definition.Variables);
        Assert.Equal(inMemory, variable.InMemory);
        Assert.Equal(inMemory ? ["Listing"] : [], definition.InMemoryVariables);
    }

    [Fact]
    public void An_unknown_storage_driver_is_refused_at_load_with_its_path()
    {
        var result = FlowTestRuntime.Loader.Load(Flow("Acme.RedisStorageDriver, Acme"), "storage.json");

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.variables[0].storageDriverTypeName", problem.JsonPath);
        Assert.Equal("storage driver 'Acme.RedisStorageDriver, Acme' is not known (use Workflow Instance, Memory, Workflow)", problem.Message);
    }

    [Theory]
    [InlineData("Int32", "\"ten\"", "variable 'Counter': the initial value 'ten' is not a Int32")]
    [InlineData("Boolean", "\"maybe\"", "variable 'Counter': the initial value 'maybe' is not a Boolean")]
    public void An_initial_value_its_type_cannot_hold_is_refused_at_load_with_its_path(string typeName, string value, string message)
    {
        var result = FlowTestRuntime.Loader.Load(FlowTestRuntime.Flowchart(
            """{ "id": "hello", "type": "Elsa.WriteLine", "version": 1, "text": "hello" }""", [],
            variables: $$"""[ { "id": "counter", "name": "Counter", "typeName": "{{typeName}}", "value": {{value}} } ]"""), "counter.json");

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.variables[0].value", problem.JsonPath);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void An_initial_value_of_the_variables_type_loads()
    {
        var result = FlowTestRuntime.Loader.Load(FlowTestRuntime.Flowchart(
            """{ "id": "hello", "type": "Elsa.WriteLine", "version": 1, "text": "hello" }""", [],
            variables: """[ { "id": "counter", "name": "Counter", "typeName": "Int32", "value": "10" }, { "id": "limit", "name": "Limit", "typeName": "Int32", "value": 10 }, { "id": "on", "name": "On", "typeName": "Boolean", "value": true } ]"""), "counter.json");

        Assert.Empty(result.Problems);
    }

    private static string Flow(string? driver) => FlowTestRuntime.Flowchart(
        """{ "id": "hello", "type": "Elsa.WriteLine", "version": 1, "text": "hello" }""", [],
        variables: driver is null
            ? """[ { "id": "listing", "name": "Listing", "typeName": "Object" } ]"""
            : $$"""[ { "id": "listing", "name": "Listing", "typeName": "Object", "storageDriverTypeName": "{{driver}}" } ]""");
}
