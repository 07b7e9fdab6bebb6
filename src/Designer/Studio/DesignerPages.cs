using System.Security.Claims;
using Integration.Designer.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Designer.Studio;

/// <summary>
/// <c>/designer</c>: sign-in with an operator key, our page around Studio's custom elements (flow list, editor, runs)
/// and the Studio package's files. Everything but the sign-in page needs an operator: the session cookie signing in
/// opens, or the key itself; the host's operator authorization guards them (the pages send a browser to sign in).
/// </summary>
internal static class DesignerPages
{
    private static readonly string[] PageRoutes = ["/designer", "/designer/flows", "/designer/flows/{definitionId}", "/designer/runs", "/designer/runs/{instanceId}"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(DesignerSession.LoginPath, () => Embedded("login.html", "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(DesignerSession.LoginPath, async (HttpContext context, IOperatorSignIn signIn) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var key = form["key"].ToString();
                if (key.Length == 0 || await signIn.AuthenticateAsync(key, context.RequestAborted) is not { } operatorPrincipal)
                {
                    return Results.Problem(statusCode: 401, type: "operator-unauthorized", title: "That operator key is not accepted (unknown, revoked or expired).");
                }

                // The session records who signed in (the key's id and scope), never the key; it is re-checked on each request.
                var session = new ClaimsPrincipal(new ClaimsIdentity(operatorPrincipal.Claims, DesignerSession.Scheme,
                    ClaimTypes.Name, ClaimTypes.Role));
                await context.SignInAsync(DesignerSession.Scheme, session);
                return Results.NoContent();
            })
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/designer/logout", async (HttpContext context) =>
            {
                await context.SignOutAsync(DesignerSession.Scheme);
                return Results.Redirect(DesignerSession.LoginPath);
            })
            .AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        var loginPage = new SignInPage(DesignerSession.LoginPath);
        foreach (var route in PageRoutes)
        {
            app.MapGet(route, (StudioFiles studio) => !studio.Installed ? StudioFiles.NotInstalled() : Embedded("index.html", "text/html; charset=utf-8"))
                .WithMetadata(loginPage).ExcludeFromDescription();
        }

        app.MapGet("/designer/app/{file}", (string file) => file switch
                {
                    "designer.js" => Embedded(file, "text/javascript"),
                    "designer.css" => Embedded(file, "text/css"),
                    _ => Results.NotFound(),
                })
            .ExcludeFromDescription();
        app.MapMethods("/designer/{**path:minlength(1)}", ["GET", "HEAD"], (HttpContext context, StudioFiles studio, string path) =>
                // Studio's own index.html and sample settings are not the page we serve.
                path is "index.html" or "appsettings.Development.json" ? Results.NotFound()
                : studio.Serve(context, path))
            .ExcludeFromDescription();
    }

    private static IResult Embedded(string name, string contentType)
    {
        var stream = typeof(DesignerPages).Assembly.GetManifestResourceStream("designer/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }
}
