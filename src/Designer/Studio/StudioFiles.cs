using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Integration.Designer.Studio;

/// <summary>
/// The files of the Elsa Studio package (a Blazor WebAssembly app) as a browser asks for them under <c>/designer</c>:
/// with the MIME types Blazor needs (<c>.wasm</c>, <c>.dat</c>, <c>.blat</c>, <c>.dll</c>) and, when the browser takes
/// them, the package's own brotli or gzip copies (a third of the bytes).
/// </summary>
internal sealed class StudioFiles(IOptions<DesignerOptions> options, IWebHostEnvironment environment)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    private readonly Lazy<PhysicalFileProvider?> _files = new(() =>
    {
        var root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StudioPath));
        return Directory.Exists(Path.Combine(root, "_framework")) ? new PhysicalFileProvider(root) : null;
    });

    public bool Installed => _files.Value is not null;

    public IResult Serve(HttpContext context, string path)
    {
        if (_files.Value is not { } files)
        {
            return NotInstalled();
        }

        if (!ContentTypes.TryGetContentType(path, out var contentType) || path.EndsWith(".br", StringComparison.Ordinal) || path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return Results.NotFound();
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        foreach (var (suffix, encoding) in new[] { (".br", "br"), (".gz", "gzip") })
        {
            if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && files.GetFileInfo(path + suffix) is { Exists: true, PhysicalPath: { } compressed } variant)
            {
                context.Response.Headers.ContentEncoding = encoding;
                context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
                return Send(context, compressed, contentType, variant);
            }
        }

        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        return Send(context, file.PhysicalPath, contentType, file);
    }

    public static IResult NotInstalled() => Results.Problem(statusCode: 503, type: "designer-not-installed",
        title: "Elsa Studio is not installed on this host: run scripts/designer-install (scripts/run and scripts/test do).");

    private static IResult Send(HttpContext context, string physicalPath, string contentType, IFileInfo file)
    {
        // The package is pinned and its files never change in place; revalidating by ETag stays correct if it is upgraded.
        context.Response.Headers.CacheControl = "no-cache";
        var tag = new EntityTagHeaderValue($"\"{file.LastModified.ToUnixTimeSeconds():x}-{file.Length:x}\"");
        return Results.File(physicalPath, contentType, lastModified: file.LastModified, entityTag: tag);
    }

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".dat"] = "application/octet-stream";
        provider.Mappings[".blat"] = "application/octet-stream";
        provider.Mappings[".dll"] = "application/octet-stream";
        provider.Mappings[".pdb"] = "application/octet-stream";
        provider.Mappings[".json"] = "application/json";
        provider.Mappings[".map"] = "application/json";
        provider.Mappings[".mjs"] = "text/javascript";
        provider.Mappings[".js"] = "text/javascript";
        provider.Mappings[".woff2"] = "font/woff2";
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        provider.Mappings[".scss"] = "text/plain";
        provider.Mappings[".cur"] = "image/x-icon";
        return provider;
    }
}
