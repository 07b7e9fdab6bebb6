using Integration.Designer.Access;
using Integration.Designer.Definitions;
using Integration.Designer.ElsaApi;
using Integration.Designer.Runs;
using Integration.Designer.Studio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Designer;

/// <summary>
/// The designer: Elsa Studio served under <c>/designer</c> and the part of Elsa's server API it calls under
/// <c>/elsa/api</c>, over the host's flows. The host maps both behind its operator authorization (read for GET and
/// for the queries Studio sends as POST, operate otherwise, admin for changing definitions) and supplies <see cref="IOperatorSignIn"/> for the sign-in page.
/// </summary>
public static class DesignerRegistration
{
    /// <summary>The host's authorization policy for changing what runs.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The host's policy for reading: Studio sends some queries (the run list, a journal, exports) as POST.</summary>
    public const string ReadPolicy = "read";

    /// <summary>Registers the designer; the host supplies <see cref="IFlowFolder"/> and <see cref="IOperatorSignIn"/>.</summary>
    public static IServiceCollection AddDesigner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DesignerOptions>().Bind(configuration.GetSection(DesignerOptions.Section));
        services.AddSingleton<StudioFiles>();
        services.AddSingleton<StudioDefinitions>();
        services.AddSingleton<DefinitionPublishing>();
        services.AddSingleton<StudioRuns>();
        services.AddSingleton<StudioExecution>();
        services.AddSingleton<DefinitionExport>();
        return services;
    }

    public static IEndpointRouteBuilder MapDesigner(this IEndpointRouteBuilder app)
    {
        DesignerPages.Map(app);
        var api = app.MapGroup("/elsa/api").ExcludeFromDescription().DisableAntiforgery();
        ElsaDefinitionsApi.Map(api);
        ElsaDescriptorsApi.Map(api);
        ElsaInstancesApi.Map(api);
        ElsaInstanceExportApi.Map(api);
        ElsaExecutionApi.Map(api);
        ElsaLifecycleApi.Map(api);
        // Anything else Studio may call answers 404 with the path, so a missing endpoint is plain in the log and the console.
        api.Map("/{**rest}", (HttpContext context) => Results.Problem(statusCode: 404, type: "designer-api-missing",
            title: $"{context.Request.Method} {context.Request.Path} is not part of the designer API."));
        return app;
    }
}
