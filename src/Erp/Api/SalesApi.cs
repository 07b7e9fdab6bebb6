using System.Text.Json;
using Integration.Erp.Customers;
using Integration.Erp.Sales;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Integration.Erp.Api;

internal sealed record CreateCustomerRequest(
    string? Company, string? Id, string Name, string? Email, string? Phone, string? CustomerType, string? TaxId, decimal? CreditLimit,
    string? CustomerGroup, JsonElement? BillingAddress, JsonElement? ShippingAddress, IReadOnlyList<ExternalId>? ExternalIds, bool AllowDuplicate);

internal sealed record UpdateCustomerRequest(
    string? Company, string? Name, string? Email, string? Phone, string? CustomerType, string? TaxId, decimal? CreditLimit, string? CustomerGroup,
    JsonElement? BillingAddress, JsonElement? ShippingAddress);

internal sealed record CompanyScoped(string? Company);

internal sealed record LinkCustomerRequest(string? Company, string Source, string Store, string Id, bool Move);

/// <summary>Customers and sales documents under <c>/api/erp</c>; each create is idempotent on its <c>source</c>.</summary>
internal static class SalesApi
{
    public static void MapSales(RouteGroupBuilder erp)
    {
        var customers = erp.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/", async (NpgsqlDataSource db, string? company, string? email, string? phone) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await CustomerStore.FindAsync(connection, await CompanyResolution.ResolveAsync(connection, company), email, phone));
        }).WithName("FindCustomers").WithSummary("Customers, optionally by email or phone.");
        customers.MapGet("/{id}", async (NpgsqlDataSource db, string id, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var resolved = await CompanyResolution.ResolveAsync(connection, company);
            return await CustomerStore.GetAsync(connection, resolved, id) is { } customer ? Results.Ok(customer) : throw ErpRuleException.NotFound("unknown-customer", $"No customer '{id}'.");
        }).WithName("GetCustomer").WithSummary("One customer with its external ids.");
        customers.MapPost("/", async (NpgsqlDataSource db, CreateCustomerRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var (customer, existed) = await CustomerStore.CreateAsync(connection, new Customer(await CompanyResolution.ResolveAsync(connection, r.Company), r.Id ?? "", r.Name,
                r.Email, r.Phone, r.CustomerType ?? "Person", r.TaxId, r.CreditLimit ?? 0, r.CustomerGroup, r.BillingAddress, r.ShippingAddress, r.ExternalIds ?? []), r.AllowDuplicate);
            return existed ? Results.Ok(customer) : Results.Created($"/api/erp/customers/{customer.Id}", customer);
        }).WithName("CreateCustomer").WithSummary("Creates a customer; a known external id returns the existing one; a matching email or phone is refused as duplicate-customer unless allowDuplicate.");

        customers.MapPut("/{id}", async (NpgsqlDataSource db, string id, UpdateCustomerRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            var company = await CompanyResolution.ResolveAsync(connection, r.Company);
            var current = await CustomerStore.GetAsync(connection, company, id) ?? throw ErpRuleException.NotFound("unknown-customer", $"No customer '{id}'.");
            var (customer, _) = await CustomerStore.UpdateAsync(connection, current with
            {
                Name = r.Name ?? current.Name, Email = r.Email ?? current.Email, Phone = r.Phone ?? current.Phone, CustomerType = r.CustomerType ?? current.CustomerType,
                TaxId = r.TaxId ?? current.TaxId, CreditLimit = r.CreditLimit ?? current.CreditLimit, CustomerGroup = r.CustomerGroup ?? current.CustomerGroup,
                BillingAddress = r.BillingAddress ?? current.BillingAddress, ShippingAddress = r.ShippingAddress ?? current.ShippingAddress,
            }, current); // the fields not given keep what they hold when written (a store's sync may write them meanwhile)
            return Results.Ok(customer);
        }).WithName("UpdateCustomer").WithSummary("Changes the given fields of a customer; a real change is announced as erp.customer.changed with the fields it touched.");

        customers.MapPost("/{id}/external-ids", async (NpgsqlDataSource db, string id, LinkCustomerRequest r) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await CustomerStore.LinkAsync(connection, await CompanyResolution.ResolveAsync(connection, r.Company), id, new ExternalId(r.Source, r.Store, r.Id), r.Move));
        }).WithName("LinkCustomer").WithSummary("Links a store's customer (source, store, id) to this customer, e.g. the same person in a second store; one linked elsewhere is refused as external-id-linked unless move.");
        customers.MapDelete("/{id}/external-ids/{source}/{store}/{externalId}", async (NpgsqlDataSource db, string id, string source, string store, string externalId, string? company) =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return Results.Ok(await CustomerStore.UnlinkAsync(connection, await CompanyResolution.ResolveAsync(connection, company), id, new ExternalId(source, store, externalId)));
        }).WithName("UnlinkCustomer").WithSummary("Removes a store's customer from this customer.");

        Map(erp, "/sales-orders", "Sales", "CreateSalesOrder", "Creates a sales order: prices and taxes the lines, checks the credit limit, reserves stock.",
            (SalesDocuments docs, SalesOrderRequest r, CancellationToken ct) => docs.CreateOrderAsync(r, ct));
        erp.MapPost("/sales-orders/{id:long}/cancel", async (NpgsqlDataSource db, SalesDocuments docs, long id, CompanyScoped? r, CancellationToken ct) =>
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            return Results.Ok(await docs.CancelOrderAsync(await CompanyResolution.ResolveAsync(connection, r?.Company), id, ct));
        }).WithTags("Sales").WithName("CancelSalesOrder").WithSummary("Cancels an open order and releases its reservation.");
        erp.MapPut("/sales-orders/{id:long}", async (SalesDocuments docs, long id, SalesOrderRequest r, CancellationToken ct) =>
        {
            var (document, updated) = await docs.UpdateOrderAsync(id, r, ct);
            return Results.Ok(new { document, updated });
        }).WithTags("Sales").WithName("UpdateSalesOrder")
            .WithSummary("Brings an open order to the request's lines (reservations follow), once per sourceVersion; an order that is not open is refused (409).");
        Map(erp, "/sales-invoices", "Sales", "CreateSalesInvoice", "Posts a sales invoice: receivable, income and VAT per line; with updateStock the stock issue and its cost; with payment the payment too.",
            (SalesDocuments docs, SalesInvoiceRequest r, CancellationToken ct) => docs.CreateInvoiceAsync(r, ct));
        Map(erp, "/payments", "Sales", "CreatePayment", "Records a payment against an invoice.",
            (SalesDocuments docs, PaymentRequest r, CancellationToken ct) => docs.CreatePaymentAsync(r, ct));
        Map(erp, "/sales-returns", "Sales", "CreateSalesReturn", "Posts a credit note for returned lines: exactly their share of income, VAT and cost; stock back at its original cost when restocked.",
            (SalesDocuments docs, SalesReturnRequest r, CancellationToken ct) => docs.CreateReturnAsync(r, ct));
        erp.MapPost("/sales-returns/{id:long}/refund", async (SalesDocuments docs, long id, ReturnRefundRequest r, CancellationToken ct) =>
        {
            var (document, recorded) = await docs.RecordReturnRefundAsync(r.Company, id, r.Account, r.PostingDate, ct);
            return Results.Ok(new { document, recorded });
        }).WithTags("Sales").WithName("RecordSalesReturnRefund").WithSummary("Records the credit note's money paid back from an account, once.");
        erp.MapPost("/sales-returns/{id:long}/keep-credit", async (NpgsqlDataSource db, SalesDocuments docs, long id, CompanyScoped? r, CancellationToken ct) =>
        {
            string company;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                company = await CompanyResolution.ResolveAsync(connection, r?.Company);
            }

            var (document, kept) = await docs.KeepReturnCreditAsync(company, id, ct);
            return Results.Ok(new { document, kept });
        }).WithTags("Sales").WithName("KeepSalesReturnCredit")
            .WithSummary("The credit note's money did not go back (the store's refund failed): it stays the customer's credit, for a later refund of money only to pay back. Once.");
        erp.MapPost("/overpayment-refunds", async (SalesDocuments docs, OverpaymentRefundRequest r, CancellationToken ct) =>
        {
            var (document, refunded, existed) = await docs.RefundOverpaymentAsync(r, ct);
            return Results.Ok(new { document, refunded, existed });
        }).WithTags("Sales").WithName("RefundOverpayment")
            .WithSummary("Pays back, once per source, as much of the amount as the invoice's payments exceed it by (no credit note); refunded is 0 when nothing was overpaid.");
        Map(erp, "/deliveries", "Sales", "CreateDelivery", "Records a shipment of an invoice or order with carrier and tracking number.",
            (SalesDocuments docs, DeliveryRequest r, CancellationToken ct) => docs.CreateDeliveryAsync(r, ct));
        erp.MapGet("/sales-documents/{id:long}", async (SalesDocuments docs, long id, CancellationToken ct) => Results.Ok(await docs.GetAsync(id, ct)))
            .WithTags("Sales").WithName("GetSalesDocument").WithSummary("Any sales document (order, invoice, return, payment, delivery) with its lines.");
    }

    private static void Map<TRequest>(RouteGroupBuilder erp, string path, string tag, string name, string summary,
        Func<SalesDocuments, TRequest, CancellationToken, Task<(SalesDocument Document, bool Existed)>> create) =>
        erp.MapPost(path, async (SalesDocuments docs, TRequest request, CancellationToken ct) =>
        {
            var (document, existed) = await create(docs, request, ct);
            return existed ? Results.Ok(document) : Results.Created($"/api/erp/sales-documents/{document.Id}", document);
        }).WithTags(tag).WithName(name).WithSummary(summary);
}
