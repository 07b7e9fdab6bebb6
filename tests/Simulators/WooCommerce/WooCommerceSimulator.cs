using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Integration.Simulators.WooCommerce;

/// <summary>
/// A WooCommerce store on WireMock: the REST API v3 under <c>/wp-json/wc/v3</c> with Basic auth, WooCommerce's error
/// bodies (<c>{code, message, data.status}</c>), pagination headers (<c>X-WP-Total</c>, <c>X-WP-TotalPages</c>, <c>Link</c>),
/// batch endpoints (more than the limit is a 413; each item answered on its own, errors included), stateful orders,
/// customers, products, variations, categories and webhooks (a new one is pinged), and injected failures.
/// </summary>
public sealed partial class WooCommerceSimulator : IDisposable
{
    private const string Root = "/wp-json/wc/v3/";
    private readonly WireMockServer _server;
    private readonly Queue<(HttpStatusCode Status, TimeSpan? RetryAfter)> _failures = new();
    private readonly List<SimulatedWooRequest> _requests = [];
    private readonly List<SimulatedWooWebhook> _pendingPings = [];
    private readonly Dictionary<(string Method, string Path), HttpStatusCode> _failingRoutes = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Method, string Path), Func<Task>> _beforeNext = new();
    private bool _down;
    private int _inFlight;
    private int _maxInFlight;

    public WooCommerceSimulator(WooCommerceSimulatorOptions? options = null)
    {
        Options = options ?? new WooCommerceSimulatorOptions();
        // The store's clock follows Options.Time even when a test sets it after the simulator is made.
        State = new WooCommerceStoreState(new OptionsClock(Options));
        Webhooks = new WooCommerceWebhookSender(this);
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/wp-json/.*")))
            .RespondWith(Response.Create().WithCallback(Answer));
    }

    public WooCommerceSimulatorOptions Options { get; }

    public WooCommerceStoreState State { get; }

    public WooCommerceWebhookSender Webhooks { get; }

    /// <summary>The site URL to configure as the store's <c>BaseUrl</c> (plain http on loopback).</summary>
    public string BaseUrl => _server.Url!;

    /// <summary>Every API request answered, in order (method, path after /wp-json/wc/v3/, status).</summary>
    public IReadOnlyList<SimulatedWooRequest> Requests { get { lock (_requests) { return [.. _requests]; } } }

    /// <summary>The most requests that were in flight at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> (a 5xx storm, a 429 from a host's firewall).</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable, TimeSpan? retryAfter = null)
    {
        lock (_failures)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue((status, retryAfter));
            }
        }
    }

    /// <summary>While true, every API request is answered 503 with WordPress's critical-error body: the store is down.</summary>
    public bool Down
    {
        get => Volatile.Read(ref _down);
        set => Volatile.Write(ref _down, value);
    }

    /// <summary>Called after a page of the order list is answered, with the request's query: a test changes the store between two pages.</summary>
    public Action<string?>? OrderPageServed { get; set; }

    /// <summary>Every request of a method and path (after /wp-json/wc/v3/, e.g. products/batch) is answered with <paramref name="status"/> (null: answered again).</summary>
    public void FailRoute(string method, string path, HttpStatusCode? status)
    {
        lock (_failures)
        {
            if (status is { } failing)
            {
                _failingRoutes[(method, path)] = failing;
            }
            else
            {
                _failingRoutes.Remove((method, path));
            }
        }
    }

    /// <summary>Run once, before the next request of a method and path (after /wp-json/wc/v3/) is answered: a test doing something while, say, a product is being created.</summary>
    public void BeforeNext(string method, string path, Func<Task> action) => _beforeNext[(method, path)] = action;

    /// <summary>Drops an action given to <see cref="BeforeNext"/>; whether it was still waiting for its request.</summary>
    public bool CancelBefore(string method, string path) => _beforeNext.TryRemove((method, path), out _);

    private IResponseMessage Answer(IRequestMessage request)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var seen = Volatile.Read(ref _maxInFlight); now > seen && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen; seen = Volatile.Read(ref _maxInFlight))
        {
        }

        try
        {
            if (Options.Latency > TimeSpan.Zero)
            {
                Thread.Sleep(Options.Latency);
            }

            var path = request.Path.StartsWith(Root, StringComparison.Ordinal) ? request.Path[Root.Length..].TrimEnd('/') : request.Path;
            var response = Route(request, path);
            if (request.Method == "GET" && path == "orders")
            {
                OrderPageServed?.Invoke(request.RawQuery);
            }

            List<SimulatedWooWebhook> pings;
            lock (_pendingPings)
            {
                pings = [.. _pendingPings];
                _pendingPings.Clear();
            }

            // Pinged once the state is unlocked, before the creating request is answered, as WooCommerce does.
            foreach (var webhook in pings)
            {
                Webhooks.Ping(webhook);
            }

            lock (_requests)
            {
                _requests.Add(new SimulatedWooRequest(request.Method, path, request.RawQuery, response.StatusCode is int code ? code : 200, request.Body));
            }

            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static ResponseMessage CriticalError(HttpStatusCode status, TimeSpan? retryAfter) =>
        Reply(status, new JsonObject { ["code"] = "internal_server_error", ["message"] = "<p>There has been a critical error on this website.</p>", ["data"] = new JsonObject { ["status"] = (int)status } }, retryAfter);

    private ResponseMessage Route(IRequestMessage request, string path)
    {
        if (!request.Path.StartsWith(Root, StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.NotFound, "rest_no_route", "No route was found matching the URL and request method.");
        }

        if (Authenticate(request) is { } refused)
        {
            return refused;
        }

        if (_beforeNext.TryRemove((request.Method, path), out var before))
        {
            before().GetAwaiter().GetResult(); // WireMock answers synchronously; the other requests go on other threads
        }

        lock (_failures)
        {
            if (_failingRoutes.TryGetValue((request.Method, path), out var refusal))
            {
                return Error(refusal, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.");
            }

            if (Down)
            {
                return CriticalError(HttpStatusCode.ServiceUnavailable, null);
            }

            if (_failures.TryDequeue(out var failure))
            {
                return failure.Status == HttpStatusCode.TooManyRequests
                    ? Error(failure.Status, "too_many_requests", "Too many requests.", failure.RetryAfter)
                    : CriticalError(failure.Status, failure.RetryAfter);
            }
        }

        var segments = path.Split('/');
        JsonObject? body = null;
        if (request.Method is "POST" or "PUT")
        {
            try
            {
                body = string.IsNullOrWhiteSpace(request.Body) ? [] : JsonNode.Parse(request.Body)!.AsObject();
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Error(HttpStatusCode.BadRequest, "rest_invalid_json", "Invalid JSON body passed.");
            }
        }

        lock (State.Gate)
        {
            return (request.Method, segments) switch
            {
                ("GET", ["system_status"]) => Reply(HttpStatusCode.OK, SystemStatus()),
                ("GET", ["orders"]) => List(request, State.OrderTable.Values, FilterOrders),
                ("POST", ["orders", "batch"]) => Batch(body!, State.OrderTable, "shop_order", null),
                ("GET", ["orders", var id]) => Get(State.OrderTable, id, "shop_order"),
                ("PUT", ["orders", var id]) => UpdateOrder(id, body!),
                ("GET", ["orders", var id, "notes"]) => Found(State.OrderTable, id, "shop_order") is { } _ ? Reply(HttpStatusCode.OK, new JsonArray([.. State.NoteList(long.Parse(id, CultureInfo.InvariantCulture)).Select(n => n.DeepClone())])) : InvalidId("shop_order"),
                ("POST", ["orders", var id, "notes"]) => AddNote(id, body!),
                ("GET", ["orders", var id, "refunds"]) => Found(State.OrderTable, id, "shop_order") is { } _ ? List(request, State.RefundList(long.Parse(id, CultureInfo.InvariantCulture)), null) : InvalidId("shop_order"),
                ("POST", ["orders", var id, "refunds"]) => AddRefund(id, body!),
                ("GET", ["customers"]) => List(request, State.CustomerTable.Values, FilterCustomers),
                ("POST", ["customers", "batch"]) => Batch(body!, State.CustomerTable, "customer", null),
                ("GET", ["customers", var id]) => Get(State.CustomerTable, id, "customer"),
                ("PUT", ["customers", var id]) => UpdateCustomer(id, body!),
                ("GET", ["products", "categories"]) => List(request, State.CategoryTable.Values, null),
                ("POST", ["products", "categories", "batch"]) => Batch(body!, State.CategoryTable, "product_cat", null),
                ("GET", ["products", "categories", var id]) => Found(State.CategoryTable, id, "product_cat") is { } category
                    ? Reply(HttpStatusCode.OK, category.DeepClone()) : Error(HttpStatusCode.NotFound, "woocommerce_rest_term_invalid", "Resource does not exist."),
                ("GET", ["products"]) => List(request, State.ProductTable.Values, FilterProducts),
                ("POST", ["products", "batch"]) => Batch(body!, State.ProductTable, "product", "sku"),
                ("GET", ["products", var id]) => Get(State.ProductTable, id, "product"),
                ("GET", ["products", var id, "variations"]) => Found(State.ProductTable, id, "product") is { } parent
                    ? List(request, State.VariationTable(long.Parse(id, CultureInfo.InvariantCulture)).Values.Select(v => AsViewed(v, parent)), null) : InvalidId("product"),
                ("POST", ["products", var id, "variations", "batch"]) => Found(State.ProductTable, id, "product") is { } _
                    ? Batch(body!, State.VariationTable(long.Parse(id, CultureInfo.InvariantCulture)), "product_variation", "sku", long.Parse(id, CultureInfo.InvariantCulture)) : InvalidId("product"),
                ("GET", ["webhooks"]) => List(request, State.WebhookTable.Values.Select(w => w.ToJson()), null),
                ("POST", ["webhooks"]) => CreateWebhook(body!),
                ("GET", ["webhooks", var id]) => long.TryParse(id, out var w) && State.WebhookTable.TryGetValue(w, out var hook) ? Reply(HttpStatusCode.OK, hook.ToJson()) : InvalidId("webhook"),
                ("PUT", ["webhooks", var id]) => UpdateWebhook(id, body!),
                ("DELETE", ["webhooks", var id]) => DeleteWebhook(id),
                _ => Error(HttpStatusCode.NotFound, "rest_no_route", "No route was found matching the URL and request method."),
            };
        }
    }

    // WooCommerce reads a variation in the "view" context: one without a SKU of its own shows its parent's.
    private static JsonObject AsViewed(JsonObject variation, JsonObject parent)
    {
        if ((string?)variation["sku"] is { Length: > 0 })
        {
            return variation;
        }

        var viewed = variation.DeepClone().AsObject();
        viewed["sku"] = (string?)parent["sku"] ?? "";
        return viewed;
    }

    private ResponseMessage? Authenticate(IRequestMessage request)
    {
        string? key = null, secret = null;
        if (request.Headers?.TryGetValue("Authorization", out var values) == true && values.FirstOrDefault() is { } header
            && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
            (key, secret) = (pair[0], pair.Length > 1 ? pair[1] : "");
        }
        else if (request.Query?.TryGetValue("consumer_key", out var k) == true)
        {
            key = k.FirstOrDefault();
            secret = request.Query.TryGetValue("consumer_secret", out var s) ? s.FirstOrDefault() : null;
        }

        if (key is null)
        {
            return Error(HttpStatusCode.Unauthorized, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
        }

        if (key != Options.ConsumerKey)
        {
            return Error(HttpStatusCode.Unauthorized, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
        }

        return secret != Options.ConsumerSecret
            ? Error(HttpStatusCode.Unauthorized, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.")
            : null;
    }

    private JsonObject SystemStatus() => new()
    {
        ["environment"] = new JsonObject { ["home_url"] = Options.SiteUrl, ["site_url"] = Options.SiteUrl, ["version"] = Options.Version, ["wp_version"] = "6.7.1" },
        ["settings"] = new JsonObject { ["api_enabled"] = true, ["force_ssl"] = false, ["currency"] = Options.Currency, ["currency_symbol"] = "&#69;&#71;&#80;", ["number_of_decimals"] = 2 },
    };

    private ResponseMessage List(IRequestMessage request, IEnumerable<JsonObject> all, Func<IRequestMessage, IEnumerable<JsonObject>, IEnumerable<JsonObject>>? filter)
    {
        var perPage = Query(request, "per_page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 10;
        if (perPage is < 1 or > 100)
        {
            return Error(HttpStatusCode.BadRequest, "rest_invalid_param", "Invalid parameter(s): per_page",
                extra: new JsonObject { ["params"] = new JsonObject { ["per_page"] = "per_page must be between 1 (inclusive) and 100 (inclusive)" } });
        }

        var page = Query(request, "page") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 1;
        var selected = filter is null ? all : filter(request, all);
        if (QueryList(request, "include") is { } include)
        {
            // WP_REST_Posts_Controller: include limits the result set to those ids.
            var ids = include.Select(i => long.Parse(i, CultureInfo.InvariantCulture)).ToHashSet();
            selected = selected.Where(i => ids.Contains((long)i["id"]!));
        }

        var items = selected.ToList();
        var pages = (int)Math.Ceiling(items.Count / (double)perPage);
        if (page > Math.Max(pages, 1))
        {
            return Error(HttpStatusCode.BadRequest, "woocommerce_rest_invalid_page_number", "The page number requested is larger than the number of pages available.");
        }

        var headers = new Dictionary<string, string>
        {
            ["X-WP-Total"] = items.Count.ToString(CultureInfo.InvariantCulture),
            ["X-WP-TotalPages"] = pages.ToString(CultureInfo.InvariantCulture),
        };
        var links = new List<string>();
        if (page > 1)
        {
            links.Add($"<{BaseUrl}{request.Path}?page={page - 1}&per_page={perPage}>; rel=\"prev\"");
        }

        if (page < pages)
        {
            links.Add($"<{BaseUrl}{request.Path}?page={page + 1}&per_page={perPage}>; rel=\"next\"");
        }

        if (links.Count > 0)
        {
            headers["Link"] = string.Join(", ", links);
        }

        // _fields: the REST server answers only the top-level fields named.
        var fields = QueryList(request, "_fields");
        return Reply(HttpStatusCode.OK, new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage).Select(i => fields is null
            ? i.DeepClone()
            : new JsonObject(fields.Where(i.ContainsKey).Select(f => KeyValuePair.Create(f, i[f]?.DeepClone()))))]), headers: headers);
    }

    private static IEnumerable<JsonObject> FilterOrders(IRequestMessage request, IEnumerable<JsonObject> orders)
    {
        var after = Query(request, "modified_after") is { } a ? DateTime.Parse(a, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : (DateTime?)null;
        var selected = orders.Where(o => after is null || Modified(o) > after);
        // WordPress's "any" (the default) leaves out the statuses hidden from searches: the trash and auto-drafts.
        var wanted = (Query(request, "status") ?? "any").Split(',');
        selected = selected.Where(o => wanted.Contains((string?)o["status"]) || (wanted.Contains("any") && (string?)o["status"] is not ("trash" or "auto-draft")));

        var byModified = Query(request, "orderby") == "modified";
        var ordered = byModified ? selected.OrderBy(Modified).ThenBy(o => (long)o["id"]!) : selected.OrderBy(o => (long)o["id"]!);
        return Query(request, "order") == "asc" ? ordered : ordered.Reverse();
    }

    private static IEnumerable<JsonObject> FilterCustomers(IRequestMessage request, IEnumerable<JsonObject> customers) =>
        Query(request, "email") is { } email ? customers.Where(c => string.Equals((string?)c["email"], email, StringComparison.OrdinalIgnoreCase)) : customers;

    private static IEnumerable<JsonObject> FilterProducts(IRequestMessage request, IEnumerable<JsonObject> products)
    {
        if (Query(request, "sku") is { } sku)
        {
            var skus = sku.Split(',');
            products = products.Where(p => skus.Contains((string?)p["sku"]));
        }

        if (Query(request, "modified_after") is { } a)
        {
            var after = DateTime.Parse(a, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            products = products.Where(p => Modified(p) > after);
        }

        return Query(request, "status") is { } status && status != "any" ? products.Where(p => (string?)p["status"] == status) : products;
    }

    private static DateTime Modified(JsonObject o) =>
        DateTime.TryParse((string?)o["date_modified_gmt"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.MinValue;

    private static ResponseMessage Get(SortedDictionary<long, JsonObject> table, string id, string type) =>
        Found(table, id, type) is { } found ? Reply(HttpStatusCode.OK, found.DeepClone()) : InvalidId(type, HttpStatusCode.NotFound);

    private static JsonObject? Found(SortedDictionary<long, JsonObject> table, string id, string type) =>
        long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var key) && table.TryGetValue(key, out var found) ? found : null;

    private ResponseMessage UpdateOrder(string id, JsonObject changes)
    {
        if (Found(State.OrderTable, id, "shop_order") is not { } order)
        {
            return InvalidId("shop_order");
        }

        foreach (var (key, value) in changes)
        {
            if (key != "id")
            {
                order[key] = value?.DeepClone();
            }
        }

        order["date_modified_gmt"] = State.Now();
        order["date_modified"] = State.Local(State.Now());
        return Reply(HttpStatusCode.OK, order.DeepClone());
    }

    private ResponseMessage UpdateCustomer(string id, JsonObject changes)
    {
        if (Found(State.CustomerTable, id, "customer") is not { } customer)
        {
            return InvalidId("customer", HttpStatusCode.NotFound);
        }

        var edit = changes.DeepClone().AsObject();
        edit.Remove("id");
        MergeMeta(customer, edit);
        foreach (var (key, value) in edit)
        {
            customer[key] = value is JsonObject part && customer[key] is JsonObject whole ? Merged(whole, part) : value?.DeepClone();
        }

        customer["date_modified_gmt"] = State.Now();
        return Reply(HttpStatusCode.OK, customer.DeepClone());
    }

    // billing and shipping are updated field by field: the fields not sent stay.
    private static JsonObject Merged(JsonObject whole, JsonObject part)
    {
        var merged = whole.DeepClone().AsObject();
        foreach (var (key, value) in part)
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private ResponseMessage AddNote(string id, JsonObject body)
    {
        if (Found(State.OrderTable, id, "shop_order") is null)
        {
            return InvalidId("shop_order");
        }

        if (string.IsNullOrEmpty((string?)body["note"]))
        {
            return Error(HttpStatusCode.BadRequest, "rest_missing_callback_param", "Missing parameter(s): note");
        }

        var note = new JsonObject { ["id"] = State.NextId(), ["note"] = (string?)body["note"], ["customer_note"] = (bool?)body["customer_note"] ?? false, ["date_created_gmt"] = State.Now() };
        State.NoteList(long.Parse(id, CultureInfo.InvariantCulture)).Add(note);
        return Reply(HttpStatusCode.Created, note.DeepClone());
    }

    private ResponseMessage AddRefund(string id, JsonObject body)
    {
        if (Found(State.OrderTable, id, "shop_order") is not { } order)
        {
            return InvalidId("shop_order");
        }

        // WooCommerce's defaults: api_refund true (the money leaves through the payment gateway), api_restock true.
        var throughGateway = body["api_refund"] is not JsonValue v || !v.TryGetValue<bool>(out var flag) || flag;
        var restock = body["api_restock"] is not JsonValue r || !r.TryGetValue<bool>(out var again) || again;
        var items = (body["line_items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => new WooCommerceStoreState.RefundItem(
            (long)WooCommerceStoreState.Money(i["id"]), WooCommerceStoreState.Money(i["quantity"]), WooCommerceStoreState.Money(i["refund_total"]),
            (i["refund_tax"] as JsonArray ?? []).OfType<JsonObject>().Sum(t => WooCommerceStoreState.Money(t["refund_total"])))).ToList();
        try
        {
            var amount = body["amount"] is null ? (decimal?)null : WooCommerceStoreState.Money(body["amount"]);
            var refund = State.Refund((long)order["id"]!, items, amount, (string?)body["reason"] ?? "", restock, throughGateway);
            return Reply(HttpStatusCode.Created, refund);
        }
        catch (InvalidOperationException ex)
        {
            return Error(HttpStatusCode.InternalServerError, "woocommerce_rest_cannot_create_order_refund", ex.Message);
        }
    }

    private ResponseMessage CreateWebhook(JsonObject body)
    {
        var topic = (string?)body["topic"];
        var url = (string?)body["delivery_url"];
        if (string.IsNullOrEmpty(topic) || !topic.Contains('.', StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.BadRequest, "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return Error(HttpStatusCode.BadRequest, "woocommerce_rest_webhook_invalid_delivery_url", "Webhook delivery URL must be a valid URL starting with http:// or https://.");
        }

        var webhook = new SimulatedWooWebhook
        {
            Id = State.NextId(),
            Name = (string?)body["name"] ?? "Webhook created on " + State.Now(),
            Topic = topic,
            DeliveryUrl = url!,
            Secret = (string?)body["secret"] ?? "",
            Status = (string?)body["status"] ?? "active",
            Created = Options.Time.GetUtcNow(),
        };
        State.WebhookTable[webhook.Id] = webhook;
        // WooCommerce pings the delivery URL right after creating a webhook and answers 201 whatever the ping got.
        lock (_pendingPings)
        {
            _pendingPings.Add(webhook);
        }

        return Reply(HttpStatusCode.Created, webhook.ToJson());
    }

    private ResponseMessage UpdateWebhook(string id, JsonObject body)
    {
        if (!long.TryParse(id, out var key) || !State.WebhookTable.TryGetValue(key, out var webhook))
        {
            return InvalidId("webhook");
        }

        if ((string?)body["status"] is { } status)
        {
            if (status is not ("active" or "paused" or "disabled"))
            {
                return Error(HttpStatusCode.BadRequest, "rest_invalid_param", "Invalid parameter(s): status");
            }

            webhook.Status = status;
            if (status == "active")
            {
                webhook.FailureCount = 0;
            }
        }

        webhook.Secret = (string?)body["secret"] ?? webhook.Secret;
        webhook.DeliveryUrl = (string?)body["delivery_url"] ?? webhook.DeliveryUrl;
        webhook.Name = (string?)body["name"] ?? webhook.Name;
        return Reply(HttpStatusCode.OK, webhook.ToJson());
    }

    private ResponseMessage DeleteWebhook(string id)
    {
        if (!long.TryParse(id, out var key) || !State.WebhookTable.Remove(key, out var webhook))
        {
            return InvalidId("webhook");
        }

        return Reply(HttpStatusCode.OK, webhook.ToJson());
    }

    internal static string? Query(IRequestMessage request, string name) =>
        request.Query?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;

    // A comma-separated list parameter, however the query string was split.
    private static string[]? QueryList(IRequestMessage request, string name) =>
        request.Query?.TryGetValue(name, out var values) == true
            ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]
            : null;

    private static ResponseMessage InvalidId(string type, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Error(status, $"woocommerce_rest_{type}_invalid_id", "Invalid ID.");

    internal static ResponseMessage Error(HttpStatusCode status, string code, string message, TimeSpan? retryAfter = null, JsonObject? extra = null)
    {
        var data = new JsonObject { ["status"] = (int)status };
        foreach (var (key, value) in extra ?? [])
        {
            data[key] = value?.DeepClone();
        }

        return Reply(status, new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data }, retryAfter);
    }

    internal static ResponseMessage Reply(HttpStatusCode status, JsonNode body, TimeSpan? retryAfter = null, IDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=UTF-8") };
        if (retryAfter is { } after)
        {
            all["Retry-After"] = new(Math.Ceiling(after.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            all[name] = new(value);
        }

        return new ResponseMessage
        {
            StatusCode = (int)status,
            Headers = all,
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
        };
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        Webhooks.Dispose();
    }

    private sealed class OptionsClock(WooCommerceSimulatorOptions options) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => options.Time.GetUtcNow();

        // The site's time zone: its local date_* texts are written in it.
        public override TimeZoneInfo LocalTimeZone => options.TimeZone;
    }
}

/// <summary>One API request the simulated store answered.</summary>
public sealed record SimulatedWooRequest(string Method, string Path, string? Query, int Status, string? Body);
