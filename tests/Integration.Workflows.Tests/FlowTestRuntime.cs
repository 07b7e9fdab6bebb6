using Integration.Testing;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Model;

namespace Integration.Workflows.Tests;

/// <summary>The flow runtime with the built-in activities and a fixed clock, plus helpers to load flows.</summary>
internal static class FlowTestRuntime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static ActivityRegistry Registry { get; } = ActivityRegistry.WithBuiltIns();

    public static FlowLoader Loader { get; } = new(Registry);

    public static FlowRunner Runner(TimeProvider? time = null) => new(new FlowServices(Registry, time ?? new FixedTime(Now)));

    public static FlowDefinition LoadSample(string name)
    {
        var result = Loader.LoadFile(Path.Combine(RepoPaths.Root, "flows", name));
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return result.Definition!;
    }

    public static FlowDefinition Load(string json)
    {
        var result = Loader.Load(json, "test.json");
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        return result.Definition!;
    }

    /// <summary>A flow whose root flowchart has these activities (JSON objects) and connections ("from:port->to").</summary>
    public static string Flowchart(string activities, string[] connections, string variables = "[]", string options = "{}") => $$"""
        {
          "definitionId": "test-flow",
          "version": 1,
          "variables": {{variables}},
          "options": {{options}},
          "root": {
            "id": "root",
            "type": "Elsa.Flowchart",
            "version": 1,
            "activities": [{{activities}}],
            "connections": [{{string.Join(",", connections.Select(Connection))}}]
          }
        }
        """;

    private static string Connection(string spec)
    {
        var parts = spec.Split("->");
        var source = parts[0].Split(':');
        return $$"""{ "source": { "activity": "{{source[0]}}", "port": "{{(source.Length > 1 ? source[1] : "Done")}}" }, "target": { "activity": "{{parts[1]}}", "port": "In" } }""";
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
