using Integration.Connectors.Erp.Activities;
using Integration.Workflows.Connectors;

namespace Integration.Connectors.Erp;

/// <summary>
/// The ERP core as a connector: activities that flows use to match customers and create sales orders, invoices,
/// payments, cancellations and returns in-process. Each one is idempotent on the store's record it comes from.
/// </summary>
public sealed class ErpConnectorModule : IConnectorModule
{
    public string Name => "erp";

    public void Register(ConnectorContext context) =>
        context.AddActivity<UpsertCustomerActivity>()
            .AddActivity<CreateSalesOrderActivity>()
            .AddActivity<CreateSalesInvoiceActivity>()
            .AddActivity<CancelSalesOrderActivity>()
            .AddActivity<CreateSalesReturnActivity>()
            .AddActivity<RecordSalesReturnRefundsActivity>()
            .AddActivity<RefundOverpaymentActivity>()
            .AddActivity<CreditEditedOffActivity>()
            .AddActivity<ReserveEditAddedActivity>()
            .AddActivity<InvoiceEditAddedActivity>()
            .AddActivity<FindSalesDocumentActivity>()
            .AddActivity<StockChangesActivity>()
            .AddActivity<StockBalancesActivity>()
            .AddActivity<EffectivePricesActivity>()
            .AddActivity<GetCustomerActivity>()
            .AddActivity<GetCatalogueItemActivity>()
            .AddActivity<ItemChangedAgainActivity>();
}
