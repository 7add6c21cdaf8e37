using FeedbackHub.Web.Features.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Security;

/// <summary>
/// The largest request body each endpoint accepts: its own <see cref="RequestBodyLimit"/> (API items
/// and batches) or request-size metadata (the CSV upload), else <see cref="LimitsOptions.MaxFormBodyBytes"/>
/// for every form. A declared length over the limit is refused before anything reads the body (413:
/// ProblemDetails for the API, the status page for people); a longer streamed body fails when read.
/// The Blazor circuit's hub has its own message size limit and is left alone.
/// </summary>
public static class RequestBodyLimits
{
    public static long? LimitFor(Endpoint endpoint, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(services);
        if (endpoint.Metadata.GetMetadata<RequestBodyLimit>() is { } api)
        {
            return api.Bytes(services.GetRequiredService<IOptions<ApiOptions>>().Value);
        }

        if (endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared)
        {
            return declared.MaxRequestBodySize;
        }

        return endpoint.Metadata.GetMetadata<HubMetadata>() is null
            ? services.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxFormBodyBytes
            : null;
    }

    /// <summary>Before antiforgery and form binding, which read the body.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is { } endpoint && LimitFor(endpoint, context.RequestServices) is { } bytes)
        {
            if (context.Request.ContentLength > bytes)
            {
                if (ApiFeature.IsApiRequest(context))
                {
                    await ApiFeature.WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {bytes:N0} bytes.");
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                }

                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = bytes;
            }
        }

        await next(context);
    });
}
