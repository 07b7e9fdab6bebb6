namespace Integration.Designer.Access;

/// <summary>Endpoint metadata: a browser page whose anonymous visitor is sent to this sign-in page rather than answered 401.</summary>
public sealed record SignInPage(string Path);
