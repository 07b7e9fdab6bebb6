using Microsoft.AspNetCore.Http;

namespace Integration.Erp.Api;

/// <summary>Turns a refused ERP rule into ProblemDetails whose <c>type</c> is the rule's stable code.</summary>
internal sealed class ErpProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ErpRuleException violation)
        {
            var extensions = new Dictionary<string, object?>(violation.Details) { ["code"] = violation.Code };
            return Results.Problem(
                statusCode: violation.Status,
                type: violation.Code,
                title: violation.Message,
                detail: violation.Message,
                extensions: extensions);
        }
    }
}
