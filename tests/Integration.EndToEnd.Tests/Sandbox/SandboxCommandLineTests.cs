using Integration.Sandbox;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Sandbox;

/// <summary><c>scripts/run --sandbox</c>'s options: what they set, and a clear refusal of what they cannot mean.</summary>
public sealed class SandboxCommandLineTests
{
    private const string Url = "postgresql://postgres@127.0.0.1:5432/integration_sandbox";

    [Fact]
    public void The_options_set_the_pace_the_database_and_the_host()
    {
        var (options, error) = SandboxCommandLine.Parse(["--sandbox", "--orders-per-minute", "30", "--fresh", "--port", "5099"], Url, RepoPaths.Root);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal(30, options.OrdersPerMinute);
        Assert.True(options.Fresh);
        Assert.False(options.NoOrders);
        Assert.Equal(5099, options.Port);
        Assert.Equal(Url, options.DatabaseUrl);
        Assert.True(File.Exists(options.HostDll), options.HostDll);
        Assert.Equal(Path.Combine(RepoPaths.Root, ".data", "sandbox", "host.log"), options.HostLog);
    }

    [Theory]
    [InlineData("--orders-per-minute abc", "--orders-per-minute needs a number")]
    [InlineData("--orders-per-minute 0", "--orders-per-minute needs a number")]
    [InlineData("--port", "--port needs a TCP port number")]
    [InlineData("--orders 5", "unknown option --orders")]
    public void Bad_options_are_refused_with_the_reason(string args, string reason)
    {
        var (options, error) = SandboxCommandLine.Parse(args.Split(' '), Url, RepoPaths.Root);

        Assert.Null(options);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_database_it_says_which_setting_is_missing()
    {
        var (options, error) = SandboxCommandLine.Parse(["--sandbox"], null, RepoPaths.Root);

        Assert.Null(options);
        Assert.Contains("DATABASE_URL", error, StringComparison.Ordinal);
    }
}
