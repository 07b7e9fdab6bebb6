using Integration.Designer.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.Studio;

/// <summary>
/// <c>/designer</c>: sign-in with an operator key, our page around Studio's custom elements (flow list, editor, runs)
/// and the Studio package's files. Everything but the sign-in page needs the session (or the key itself).
/// </summary>
internal static class DesignerPages
{
    private static readonly string[] PageRoutes = ["/designer", "/designer/flows", "/designer/flows/{definitionId}", "/designer/runs", "/designer/runs/{instanceId}"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/designer/login", () => Embedded("login.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapPost("/designer/login", async (HttpContext context, OperatorKeys keys) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var key = form["key"].ToString();
                if (!keys.IsValidKey(key))
                {
                    return Refused(keys);
                }

                context.Response.Cookies.Append(OperatorKeys.SessionCookie, OperatorKeys.SessionOf(key), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = context.Request.IsHttps,
                    Path = "/designer",
                });
                return Results.NoContent();
            })
            .DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/designer/logout", (HttpContext context) =>
            {
                context.Response.Cookies.Delete(OperatorKeys.SessionCookie, new CookieOptions { Path = "/designer" });
                return Results.Redirect("/designer/login");
            })
            .DisableAntiforgery().ExcludeFromDescription();

        foreach (var route in PageRoutes)
        {
            app.MapGet(route, (HttpContext context, OperatorKeys keys, StudioFiles studio) =>
                    !Allowed(context, keys) ? Results.Redirect("/designer/login?return=" + Uri.EscapeDataString(context.Request.Path))
                    : !studio.Installed ? StudioFiles.NotInstalled()
                    : Embedded("index.html", "text/html; charset=utf-8"))
                .ExcludeFromDescription();
        }

        app.MapGet("/designer/app/{file}", (HttpContext context, OperatorKeys keys, string file) =>
                !Allowed(context, keys) ? Refused(keys)
                : file switch
                {
                    "designer.js" => Embedded(file, "text/javascript"),
                    "designer.css" => Embedded(file, "text/css"),
                    _ => Results.NotFound(),
                })
            .ExcludeFromDescription();
        app.MapMethods("/designer/{**path:minlength(1)}", ["GET", "HEAD"], (HttpContext context, OperatorKeys keys, StudioFiles studio, string path) =>
                !Allowed(context, keys) ? Refused(keys)
                // Studio's own index.html and sample settings are not the page we serve.
                : path is "index.html" or "appsettings.Development.json" ? Results.NotFound()
                : studio.Serve(context, path))
            .ExcludeFromDescription();
    }

    private static bool Allowed(HttpContext context, OperatorKeys keys) => keys.HasSession(context.Request) || keys.HasKey(context.Request);

    internal static IResult Refused(OperatorKeys keys) => Results.Problem(statusCode: 401, type: "designer-unauthorized",
        title: keys.AnyConfigured
            ? "An operator key is required (Authorization: ApiKey <key>, or sign in at /designer/login)."
            : "The designer is closed: no operator key is configured (Designer:ApiKeys).");

    private static IResult Embedded(string name, string contentType)
    {
        var stream = typeof(DesignerPages).Assembly.GetManifestResourceStream("designer/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
