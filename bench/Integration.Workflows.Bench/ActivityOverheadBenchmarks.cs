using BenchmarkDotNet.Attributes;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;

namespace Integration.Workflows.Bench;

/// <summary>
/// Per-activity cost of running flows in memory: a Sequence of 100 activities, and ForEach loops of 1,000 and
/// 10,000 iterations (per iteration the loop step plus one body activity). Results are per activity or iteration
/// (OperationsPerInvoke), so equal figures for 1,000 and 10,000 iterations mean no growth per iteration.
/// </summary>
[MemoryDiagnoser]
public class ActivityOverheadBenchmarks
{
    private FlowRunner _runner = null!;
    private FlowDefinition _sequence = null!;
    private FlowDefinition _loop1000 = null!;
    private FlowDefinition _loop10000 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = ActivityRegistry.WithBuiltIns();
        var loader = new FlowLoader(registry);
        _runner = new FlowRunner(new FlowServices(registry, TimeProvider.System));
        var step = """{ "id": "s{0}", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "X" }, "value": "{0}" }""";
        var activities = string.Join(",", Enumerable.Range(0, 100).Select(i => step.Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        _sequence = Load(loader, $$"""{ "definitionId": "seq", "variables": [{ "name": "X", "typeName": "String" }], "root": { "id": "root", "type": "Elsa.Sequence", "activities": [{{activities}}] } }""");
        _loop1000 = Load(loader, Loop(1000));
        _loop10000 = Load(loader, Loop(10000));
    }

    [Benchmark(OperationsPerInvoke = 100, Description = "Sequence of 100 SetVariable, per activity")]
    public Task<FlowRunState> Sequence100() => _runner.RunAsync(_sequence);

    [Benchmark(OperationsPerInvoke = 1000, Description = "ForEach 1,000 iterations, per iteration")]
    public Task<FlowRunState> ForEach1000() => _runner.RunAsync(_loop1000);

    [Benchmark(OperationsPerInvoke = 10000, Description = "ForEach 10,000 iterations, per iteration")]
    public Task<FlowRunState> ForEach10000() => _runner.RunAsync(_loop10000);

    private static string Loop(int count) => $$"""
        { "definitionId": "loop{{count}}", "variables": [{ "name": "X", "typeName": "String" }],
          "root": { "id": "root", "type": "Elsa.Flowchart", "activities": [
            { "id": "each", "type": "Elsa.ForEach", "version": 1,
              "items": { "typeName": "Object", "expression": { "type": "Object", "value": "[{{string.Join(",", Enumerable.Range(0, count))}}]" } },
              "body": { "id": "body", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "X" }, "value": "x" } } ],
            "connections": [] } }
        """;

    private static FlowDefinition Load(FlowLoader loader, string json)
    {
        var result = loader.Load(json, "bench.json");
        return result.IsValid ? result.Definition! : throw new InvalidOperationException(string.Join("; ", result.Problems));
    }
}
