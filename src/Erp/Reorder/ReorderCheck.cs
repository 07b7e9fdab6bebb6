using Dapper;
using Npgsql;

namespace Integration.Erp.Reorder;

/// <summary>
/// After stock or reservations change: where the projected quantity fell below the reorder level, a purchase request
/// for the reorder quantity is raised once (a unique index allows one open request per item and warehouse); where it
/// is back at or above the level, the open request is marked fulfilled.
/// </summary>
internal static class ReorderCheck
{
    public static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string company, IEnumerable<(string Sku, string Warehouse)> pairs)
    {
        var list = pairs.Distinct().ToList();
        if (list.Count == 0)
        {
            return;
        }

        var skus = list.Select(p => p.Sku).ToArray();
        var warehouses = list.Select(p => p.Warehouse).ToArray();
        await connection.ExecuteAsync("""
            WITH state AS (
                SELECT r.sku, r.warehouse, r.level, r.qty, b.actual_qty + b.ordered_qty - b.reserved_qty AS projected
                FROM erp.reorder_rule r
                JOIN unnest(@skus::text[], @warehouses::text[]) AS p(sku, warehouse) ON p.sku = r.sku AND p.warehouse = r.warehouse
                JOIN erp.bin b ON b.company = r.company AND b.sku = r.sku AND b.warehouse = r.warehouse
                WHERE r.company = @company
            ), raised AS (
                INSERT INTO erp.purchase_request (company, sku, warehouse, qty, reason)
                SELECT @company, sku, warehouse, qty, 'projected ' || projected || ' below reorder level ' || level FROM state WHERE projected < level
                ON CONFLICT (company, sku, warehouse) WHERE status = 'Open' DO NOTHING
                RETURNING id
            )
            UPDATE erp.purchase_request pr SET status = 'Fulfilled', closed_at = now()
            FROM state s
            WHERE pr.company = @company AND pr.sku = s.sku AND pr.warehouse = s.warehouse AND pr.status = 'Open' AND s.projected >= s.level
            """, new { company, skus, warehouses }, transaction);
    }
}
