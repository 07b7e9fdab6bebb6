using System.Text.Json;

namespace Integration.Host.Tests.Runtime;

/// <summary>The runtime settings the host's project file promises (docs/operations.md, "Runtime settings") are the ones
/// its build writes: a misspelt property is silently ignored by MSBuild.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_host_is_built_for_server_gc_and_thread_pool_workers_that_sleep_without_spinning()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Integration.Host.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
