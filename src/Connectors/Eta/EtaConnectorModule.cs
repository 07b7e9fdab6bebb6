using Integration.Connectors.Eta.Activities;
using Integration.Connectors.Eta.Issuing;
using Integration.Connectors.Eta.Portal;
using Integration.Connectors.Eta.Submission;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integration.Connectors.Eta;

/// <summary>
/// The Egyptian Tax Authority's e-receipt system: receipts built from ERP sales documents, chained per POS device,
/// submitted in batches and polled until Valid or Invalid.
/// </summary>
public sealed class EtaConnectorModule : IConnectorModule
{
    public string Name => "eta";

    /// <summary>The connector's SQL migrations (schema <c>eta</c>).</summary>
    public static System.Reflection.Assembly MigrationsAssembly => typeof(EtaConnectorModule).Assembly;

    public void Register(ConnectorContext context)
    {
        context.Services.AddOptions<EtaOptions>()
            .Bind(context.Configuration.GetSection(EtaOptions.Section))
            .ValidateOnStart();
        context.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EtaOptions>, EtaOptionsValidator>();
        context.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EtaOptions>, EtaSellerDeviceRule>();
        context.Services.TryAddSingleton(TimeProvider.System);
        context.Services.AddOptions<EtaPortalResilienceOptions>().Bind(context.Configuration.GetSection(EtaPortalResilienceOptions.Section));
        context.Services.AddHttpClient(EtaPortalClient.IdentityClientName);
        context.Services.AddHttpClient(EtaPortalClient.ApiClientName);
        context.Services.TryAddSingleton<EtaPortalClient>();
        context.Services.TryAddSingleton<EtaReceiptRegister>();
        context.Services.TryAddSingleton<EtaReceiptBook>();
        context.Services.TryAddSingleton<EtaSubmissions>();
        // A singleton, so its kept answer spares the portal (AddCheck takes the registered instance).
        context.Services.TryAddSingleton<EtaTokenHealthCheck>();
        context.Services.AddHealthChecks().AddCheck<EtaTokenHealthCheck>("eta-token", tags: ["detail"]);
        context.AddActivity<EtaIssueReceipt>()
            .AddActivity<EtaSubmitPending>()
            .AddActivity<EtaPollStatus>()
            .AddActivity<EtaCorrectReceipt>();
    }
}
