using System.Diagnostics;
using System.Globalization;
using Dapper;
using Integration.Erp.Prices;
using Npgsql;

/// <summary>
/// <c>--prices N</c>: a price list of N SKUs (20 item groups, a tenth with a price starting next month, promotions on
/// groups, on SKUs and on one channel) walked the way the nightly full price upload walks it: pages of 250 SKUs
/// (<see cref="PriceBook.SkusAsync"/>), each page priced. With <c>--each</c> every SKU of a page is priced alone, as the
/// upload did before pages were priced in one read.
/// </summary>
internal static class PricePages
{
    public static async Task RunAsync(NpgsqlDataSource dataSource, string company, int count, bool each)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO erp.item_group (company, id, name, parent) SELECT @company, 'G' || g, 'Group ' || g, 'PRODUCTS' FROM generate_series(1, 20) g;
                INSERT INTO erp.item (company, sku, name, item_group)
                SELECT @company, 'SKU-' || lpad(i::text, 6, '0'), 'Item ' || i, 'G' || (1 + i % 20) FROM generate_series(1, @count) i;
                INSERT INTO erp.price_list (company, id, name, currency) VALUES (@company, 'WEB', 'Web store', 'EGP');
                INSERT INTO erp.item_price (company, price_list, sku, rate)
                SELECT @company, 'WEB', 'SKU-' || lpad(i::text, 6, '0'), 100 + i % 500 FROM generate_series(1, @count) i;
                INSERT INTO erp.item_price (company, price_list, sku, rate, valid_from)
                SELECT @company, 'WEB', 'SKU-' || lpad(i::text, 6, '0'), 120 + i % 500, @nextMonth FROM generate_series(1, @count, 10) i;
                INSERT INTO erp.promotion (company, id, name, kind, value, item_groups, valid_from, valid_to)
                VALUES (@company, 'GROUPS', 'Two groups 20 %', 'Percentage', 20, '{G1,G2}', @today, @today + 20);
                INSERT INTO erp.promotion (company, id, name, kind, value, skus, valid_from, valid_to)
                SELECT @company, 'SKUS', '5 off 200 items', 'Amount', 5, array_agg('SKU-' || lpad(i::text, 6, '0')), @today, @today + 10 FROM generate_series(1, 2000, 10) i;
                INSERT INTO erp.promotion (company, id, name, kind, value, item_groups, valid_from, valid_to, channel)
                VALUES (@company, 'APP', 'App 10 %', 'Percentage', 10, '{G3}', @today, @today + 30, 'shopify');
                ANALYZE erp.item; ANALYZE erp.item_price; ANALYZE erp.promotion;
                """, new { company, count, today, nextMonth = today.AddDays(30) });
        }

        var book = new PriceBook(dataSource);
        Console.WriteLine($"Nightly price upload's reads: {count:N0} SKUs, pages of 250, {(each ? "each SKU priced alone" : "each page priced in one read")}");
        Console.WriteLine("| round | pages | prices | seconds | ms per page |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        for (var round = 1; round <= 3; round++)
        {
            var (pages, priced) = (0, 0);
            var watch = Stopwatch.StartNew();
            var cursor = "";
            while (true)
            {
                var page = await book.SkusAsync(company, "WEB", cursor, 250);
                if (page.Count == 0)
                {
                    break;
                }

                pages++;
                if (each)
                {
                    foreach (var sku in page)
                    {
                        await book.EffectiveAsync(company, "WEB", sku, today, "shopify", 1);
                        priced++;
                    }
                }
                else
                {
                    priced += (await book.EffectiveAsync(company, "WEB", page, today, "shopify", 1)).Count;
                }

                cursor = page[^1];
            }

            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {pages} | {priced:N0} | {watch.Elapsed.TotalSeconds:0.00} | {watch.Elapsed.TotalMilliseconds / Math.Max(1, pages):0.0} |"));
        }
    }
}
