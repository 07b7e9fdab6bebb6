using Microsoft.Extensions.Options;

namespace Integration.Host.Retention;

/// <summary>Registers <see cref="MessageRetention"/> with its options from <c>Messages:Retention</c>, checked at start.</summary>
public static class MessageRetentionRegistration
{
    public static IServiceCollection AddMessageRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessageRetentionOptions>().Bind(configuration.GetSection("Messages:Retention")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<MessageRetentionOptions>, RetentionSettingsCheck>();
        services.AddSingleton<MessageRetention>();
        services.AddHostedService(provider => provider.GetRequiredService<MessageRetention>());
        return services;
    }
}
