using Integration.Mappings.Echoes;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;
using Integration.Mappings.Loading;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integration.Mappings;

/// <summary>Registers the mapping engine: the catalog, the PostgreSQL key map and echo guard (over the host's <c>NpgsqlDataSource</c>) and the <see cref="Mapper"/>.</summary>
public static class MappingsRegistration
{
    public static IServiceCollection AddMappings(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EchoGuardOptions>().BindConfiguration(EchoGuardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MappingCatalog>();
        services.TryAddSingleton<IKeyMap, PostgresKeyMap>();
        services.TryAddSingleton<IEchoGuard>(provider => new PostgresEchoGuard(
            provider.GetRequiredService<Npgsql.NpgsqlDataSource>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IOptions<EchoGuardOptions>>().Value.Expiry));
        services.AddSingleton<Mapper>();
        return services;
    }

    /// <summary>The key map and echo guard tables (<c>integration.key_map</c>, <c>integration.echo_fingerprint</c>) are created by scripts in this assembly.</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(MappingsRegistration).Assembly;
}
