using Integration.Host.Database;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Integration.Host.Tests.Database;

public sealed class DatabaseConnectionTests
{
    // Statements prepared per pooled connection and no session reset on return, unless settings or the connection string say otherwise.
    [Theory]
    [InlineData(null, null, null, 100, true)]
    [InlineData("0", "true", null, 0, false)]
    [InlineData(null, null, "Max Auto Prepare=20;No Reset On Close=true", 20, true)]
    [InlineData(null, "true", "No Reset On Close=true", 100, true)]
    public void The_pool_prepares_statements_and_skips_the_session_reset_by_default(string? maxAutoPrepare, string? resetOnClose, string? extra, int prepared, bool noReset)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Integration"] = "Host=127.0.0.1;Port=5432;Database=integration;Username=app" + (extra is null ? "" : ";" + extra),
            ["Database:MaxAutoPrepare"] = maxAutoPrepare,
            ["Database:ResetOnClose"] = resetOnClose,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var builder = new NpgsqlConnectionStringBuilder(DatabaseConnection.Resolve(configuration));

        Assert.Equal(prepared, builder.MaxAutoPrepare);
        Assert.Equal(noReset, builder.NoResetOnClose);
        Assert.Equal("integration-host", builder.ApplicationName);
    }
}
