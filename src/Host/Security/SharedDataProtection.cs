using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Integration.Host.Security;

/// <summary>
/// Data Protection (it seals the designer's session cookie) with one key ring for the cluster, in PostgreSQL, and one
/// application name, so any host reads a cookie any other host issued, wherever it is installed.
/// </summary>
internal static class SharedDataProtection
{
    /// <summary>The same on every host: the framework would otherwise derive it from the install path.</summary>
    public const string ApplicationName = "integration-host";

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new PostgresXmlRepository(dataSource));
        return services;
    }
}
