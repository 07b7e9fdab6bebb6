namespace Integration.Designer.Access;

/// <summary>The designer's sign-in session: an ASP.NET Core cookie (scheme and cookie name) holding the key's id and scope, never the key.</summary>
public static class DesignerSession
{
    public const string Scheme = "DesignerSession";
    public const string Cookie = "designer_session";
    public const string Path = "/designer";
    public const string LoginPath = "/designer/login";
}
