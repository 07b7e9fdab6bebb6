using Integration.Host.Database;
using Npgsql;

namespace Integration.Host.Tests.Database;

public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("postgresql://app:s%40cret@db.internal:6432/shop", "db.internal", 6432, "shop", "app", "s@cret")]
    [InlineData("postgres://postgres@127.0.0.1/integration", "127.0.0.1", 5432, "integration", "postgres", null)]
    [InlineData("postgresql://u:p@localhost:5433/", "localhost", 5433, "integration", "u", "p")]
    public void Url_becomes_an_npgsql_connection_string(string url, string host, int port, string database, string user, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));

        Assert.Equal(host, builder.Host);
        Assert.Equal(port, builder.Port);
        Assert.Equal(database, builder.Database);
        Assert.Equal(user, builder.Username);
        Assert.Equal(password, builder.Password);
    }

    [Fact]
    public void Sslmode_in_the_query_is_kept()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgresql://u:p@h:5432/d?sslmode=require"));

        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Theory]
    [InlineData("mysql://u@h/d")]
    [InlineData("not a url")]
    public void Other_urls_are_refused(string url) =>
        Assert.Throws<FormatException>(() => DatabaseUrl.ToConnectionString(url));

    [Fact]
    public void Description_for_logs_hides_the_password()
    {
        var described = DatabaseConnection.Describe(DatabaseUrl.ToConnectionString("postgresql://app:topsecret@h:5432/d"));

        Assert.DoesNotContain("topsecret", described, StringComparison.Ordinal);
        Assert.Contains("h:5432/d", described, StringComparison.Ordinal);
    }
}
